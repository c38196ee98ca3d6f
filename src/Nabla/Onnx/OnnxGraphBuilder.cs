namespace Nabla.Onnx;

/// <summary>
/// Collects the nodes and initializers of an ONNX graph as they are added, in order (so in topological order when
/// each node reads only values added before it), and checks that no value name is used twice.
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);

    /// <summary>Adds a constant FLOAT tensor named <paramref name="name"/>; returns the name.</summary>
    /// <exception cref="ArgumentException">The name is taken, or the dimensions do not hold the values.</exception>
    public string Initializer(string name, long[] dims, float[] values) => Add(new OnnxTensor(name, dims, values));

    /// <summary>Adds a constant INT64 tensor named <paramref name="name"/> (a shape, a list of axes); returns the name.</summary>
    /// <exception cref="ArgumentException">The name is taken, or the dimensions do not hold the values.</exception>
    public string Initializer(string name, long[] dims, long[] values) => Add(new OnnxTensor(name, dims, values));

    /// <summary>Adds a node of <paramref name="opType"/> reading <paramref name="inputs"/>, whose one output (and name) is <paramref name="output"/>; returns <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The output name is taken, or an input is not a value added before.</exception>
    public string Node(string opType, string output, IReadOnlyList<string> inputs, params IReadOnlyList<OnnxAttribute> attributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        foreach (var input in inputs)
            if (!_values.Contains(input))
                throw new ArgumentException($"{opType} node '{output}': its input '{input}' is not a value of the graph yet.", nameof(inputs));
        Claim(output);
        _nodes.Add(new OnnxNode(opType, output, [.. inputs], [output], [.. attributes]));
        return output;
    }

    /// <summary>Declares a graph input named <paramref name="name"/>, so nodes may read it.</summary>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public string Input(string name)
    {
        Claim(name);
        return name;
    }

    /// <summary>Renames the output of the node that produces <paramref name="value"/> (and its readers) to <paramref name="name"/>, as graph outputs are named.</summary>
    /// <exception cref="ArgumentException">No node produces <paramref name="value"/>, or <paramref name="name"/> is taken.</exception>
    public void Rename(string value, string name)
    {
        int producer = _nodes.FindIndex(n => n.Outputs.Contains(value));
        if (producer < 0)
            throw new ArgumentException($"No node produces '{value}' (graph inputs and initializers keep their names).", nameof(value));
        Claim(name);
        _values.Remove(value);
        for (int i = producer; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            _nodes[i] = node with
            {
                Name = node.Name == value ? name : node.Name,
                Inputs = [.. node.Inputs.Select(v => v == value ? name : v)],
                Outputs = [.. node.Outputs.Select(v => v == value ? name : v)],
            };
        }
    }

    /// <summary>The graph of the nodes and initializers added so far.</summary>
    public OnnxGraph Build(string name, IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyList<OnnxValueInfo> outputs) =>
        new(name, [.. _nodes], [.. _initializers], inputs, outputs);

    private string Add(OnnxTensor tensor)
    {
        Claim(tensor.Name);
        _initializers.Add(tensor);
        return tensor.Name;
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_values.Add(name))
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
    }
}
