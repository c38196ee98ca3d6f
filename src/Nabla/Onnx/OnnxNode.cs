namespace Nabla.Onnx;

/// <summary>
/// One operation of an ONNX graph (<c>NodeProto</c>): an operator such as <c>Gemm</c> or <c>Relu</c> applied to named
/// input values (graph inputs, initializers or other nodes' outputs), producing named output values.
/// </summary>
/// <param name="OpType">The operator (<c>Gemm</c>, <c>Conv</c>).</param>
/// <param name="Name">The node's name, unique in its graph (may be empty in files from other tools).</param>
/// <param name="Inputs">The input values' names; an empty name is an optional input left out.</param>
/// <param name="Outputs">The output values' names.</param>
/// <param name="Attributes">The operator's attributes.</param>
/// <param name="Domain">The operator set's domain; empty for ONNX's own operators.</param>
public sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes, string Domain = "")
{
    /// <summary>The attribute named <paramref name="name"/>, or null.</summary>
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <summary>The integer attribute <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="ArgumentException">The attribute is present but not an integer.</exception>
    public long Int(string name, long fallback) => Attribute(name) switch
    {
        null => fallback,
        { Type: OnnxAttributeType.Int } a => a.Int,
        var a => throw new ArgumentException($"attribute {name} is {a.Type}; expected an integer"),
    };

    /// <summary>The float attribute <paramref name="name"/>, or <paramref name="fallback"/> when it is absent.</summary>
    /// <exception cref="ArgumentException">The attribute is present but not a float.</exception>
    public float Float(string name, float fallback) => Attribute(name) switch
    {
        null => fallback,
        { Type: OnnxAttributeType.Float } a => a.Float,
        var a => throw new ArgumentException($"attribute {name} is {a.Type}; expected a float"),
    };

    /// <summary>The list-of-integers attribute <paramref name="name"/>, or null when it is absent.</summary>
    /// <exception cref="ArgumentException">The attribute is present but not a list of integers.</exception>
    public IReadOnlyList<long>? Ints(string name) => Attribute(name) switch
    {
        null => null,
        { Type: OnnxAttributeType.Ints } a => a.Ints,
        var a => throw new ArgumentException($"attribute {name} is {a.Type}; expected a list of integers"),
    };

    /// <summary>How errors name the node: <c>node 3 "Gemm_3" (Gemm)</c>, with file text bounded.</summary>
    public string Describe(int index) =>
        $"node {index} {(Name.Length > 0 ? ProtoReader.Shown(Name) + " " : "")}({ProtoReader.Shown(OpType).Trim('"')})";

    internal void WriteTo(ProtoWriter w)
    {
        foreach (var input in Inputs)
            w.String(1, input);
        foreach (var output in Outputs)
            w.String(2, output);
        w.String(3, Name);
        w.String(4, OpType);
        foreach (var attribute in Attributes)
            w.Message(5, attribute.WriteTo);
        if (Domain.Length > 0)
            w.String(7, Domain);
    }

    internal static OnnxNode Read(ProtoReader r)
    {
        List<string> inputs = [], outputs = [];
        List<OnnxAttribute> attributes = [];
        string name = "", op = "", domain = "";
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: inputs.Add(r.String(wire, "a node's input")); break;
                case 2: outputs.Add(r.String(wire, "a node's output")); break;
                case 3: name = r.String(wire, "a node's name"); break;
                case 4: op = r.String(wire, "a node's op_type"); break;
                case 5: attributes.Add(OnnxAttribute.Read(r.Message(wire, "a node's attribute"))); break;
                case 7: domain = r.String(wire, "a node's domain"); break;
                default: r.Skip(wire); break;
            }
        }
        if (op.Length == 0)
            throw r.Error($"node {ProtoReader.Shown(name)} has no op_type");
        return new OnnxNode(op, name, inputs, outputs, attributes, domain);
    }
}
