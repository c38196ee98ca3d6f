using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers.Kinds;

/// <summary>
/// One layer being written into an ONNX graph, handed to <see cref="LayerKind.ToOnnx"/>: its complete spec and
/// shapes, the name of the value it reads (shaped <c>[batch, ..Input]</c>: <c>[batch, 4]</c> for features,
/// <c>[batch, C, H, W]</c> for images), and methods that add its tensors, constants and nodes under names prefixed by
/// its index (<c>3.weight</c>, <c>3.Gemm</c>), so the graph's names match the model file's.
/// </summary>
public sealed class OnnxLayerExport
{
    private readonly OnnxGraphBuilder _graph;
    private readonly Func<string, (IReadOnlyList<long> Shape, float[] Values)> _tensor;
    private readonly Dictionary<string, int> _opCounts = new(StringComparer.Ordinal);

    /// <summary>Describes layer <paramref name="index"/> to its kind's hook; <paramref name="tensor"/> gives a tensor's file shape and values by its kind's name for it (<c>weight</c>).</summary>
    internal OnnxLayerExport(OnnxGraphBuilder graph, int index, LayerSpec spec, SampleShape input, SampleShape output, string inputValue,
        Func<string, (IReadOnlyList<long> Shape, float[] Values)> tensor)
    {
        _graph = graph;
        _tensor = tensor;
        Index = index;
        Spec = spec;
        Input = input;
        Output = output;
        InputValue = inputValue;
    }

    /// <summary>The layer's position in the network.</summary>
    public int Index { get; }

    /// <summary>The complete spec.</summary>
    public LayerSpec Spec { get; }

    /// <summary>The per-sample shape the layer receives.</summary>
    public SampleShape Input { get; }

    /// <summary>The per-sample shape it must produce: the value its hook returns is shaped <c>[batch, ..Output]</c>.</summary>
    public SampleShape Output { get; }

    /// <summary>The name of the value the layer reads.</summary>
    public string InputValue { get; }

    /// <summary>Adds the layer's tensor <paramref name="name"/> (a name of its kind's <see cref="LayerKind.Tensors"/>) as an initializer with its file shape; returns the initializer's name, <c>3.weight</c>.</summary>
    public string Tensor(string name)
    {
        var (shape, values) = _tensor(name);
        return _graph.Initializer($"{Index}.{name}", [.. shape], values);
    }

    /// <summary>Adds a FLOAT constant the layer needs (named <c>3.<paramref name="name"/></c>); returns its name.</summary>
    public string Constant(string name, long[] dims, float[] values) => _graph.Initializer($"{Index}.{name}", dims, values);

    /// <summary>Adds an INT64 constant the layer needs (a shape, a list of axes; named <c>3.<paramref name="name"/></c>); returns its name.</summary>
    public string Constant(string name, long[] dims, long[] values) => _graph.Initializer($"{Index}.{name}", dims, values);

    /// <summary>Adds a node of <paramref name="opType"/> reading <paramref name="inputs"/>; returns its output's name (<c>3.Gemm</c>, then <c>3.Gemm.2</c>).</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, params IReadOnlyList<OnnxAttribute> attributes)
    {
        int count = _opCounts[opType] = _opCounts.GetValueOrDefault(opType) + 1;
        return _graph.Node(opType, count == 1 ? $"{Index}.{opType}" : $"{Index}.{opType}.{count}", inputs, attributes);
    }
}
