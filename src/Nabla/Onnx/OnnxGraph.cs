namespace Nabla.Onnx;

/// <summary>
/// An ONNX graph (<c>GraphProto</c>): nodes in topological order, the constant tensors they read (initializers), and
/// the graph's inputs and outputs.
/// </summary>
/// <param name="Name">The graph's name.</param>
/// <param name="Nodes">The nodes, each after the nodes whose outputs it reads.</param>
/// <param name="Initializers">Constant tensors, by the value name nodes use.</param>
/// <param name="Inputs">The values a caller feeds (files from before IR version 4 also list initializers here).</param>
/// <param name="Outputs">The values a caller receives.</param>
public sealed record OnnxGraph(string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs)
{
    internal void WriteTo(ProtoWriter w)
    {
        foreach (var node in Nodes)
            w.Message(1, node.WriteTo);
        w.String(2, Name);
        foreach (var tensor in Initializers)
            w.Message(5, tensor.WriteTo);
        foreach (var input in Inputs)
            w.Message(11, input.WriteTo);
        foreach (var output in Outputs)
            w.Message(12, output.WriteTo);
    }

    internal static OnnxGraph Read(ProtoReader r)
    {
        List<OnnxNode> nodes = [];
        List<OnnxTensor> initializers = [];
        List<OnnxValueInfo> inputs = [], outputs = [];
        string name = "";
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: nodes.Add(OnnxNode.Read(r.Message(wire, "a node"))); break;
                case 2: name = r.String(wire, "the graph's name"); break;
                case 5: initializers.Add(OnnxTensor.Read(r.Message(wire, "an initializer"))); break;
                case 11: inputs.Add(OnnxValueInfo.Read(r.Message(wire, "a graph input"))); break;
                case 12: outputs.Add(OnnxValueInfo.Read(r.Message(wire, "a graph output"))); break;
                default: r.Skip(wire); break;
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }
}
