using System.Globalization;

namespace Nabla.Onnx;

/// <summary>A named attribute of an ONNX node (<c>AttributeProto</c>): one number, string or tensor, or a list of numbers.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
    }

    /// <summary>The attribute's name (<c>transB</c>, <c>alpha</c>, <c>kernel_shape</c>).</summary>
    public string Name { get; }

    /// <summary>Which of the values it holds.</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Float"/> attribute.</summary>
    public float Float { get; private init; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Int"/> attribute.</summary>
    public long Int { get; private init; }

    /// <summary>The value of a <see cref="OnnxAttributeType.String"/> attribute.</summary>
    public string Text { get; private init; } = "";

    /// <summary>The value of a <see cref="OnnxAttributeType.Tensor"/> attribute.</summary>
    public OnnxTensor? Tensor { get; private init; }

    /// <summary>The values of a <see cref="OnnxAttributeType.Floats"/> attribute.</summary>
    public IReadOnlyList<float> Floats { get; private init; } = [];

    /// <summary>The values of an <see cref="OnnxAttributeType.Ints"/> attribute.</summary>
    public IReadOnlyList<long> Ints { get; private init; } = [];

    /// <summary>An integer attribute.</summary>
    public static OnnxAttribute Of(string name, long value) => new(name, OnnxAttributeType.Int) { Int = value };

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Of(string name, float value) => new(name, OnnxAttributeType.Float) { Float = value };

    /// <summary>A list-of-integers attribute.</summary>
    public static OnnxAttribute Of(string name, IReadOnlyList<long> values) => new(name, OnnxAttributeType.Ints) { Ints = values };

    /// <summary>A tensor attribute.</summary>
    public static OnnxAttribute Of(string name, OnnxTensor value) => new(name, OnnxAttributeType.Tensor) { Tensor = value };

    /// <summary>The value as ONNX's text format would show it: <c>transB=1</c>.</summary>
    public override string ToString() => Type switch
    {
        OnnxAttributeType.Float => string.Create(CultureInfo.InvariantCulture, $"{Name}={Float}"),
        OnnxAttributeType.Int => string.Create(CultureInfo.InvariantCulture, $"{Name}={Int}"),
        OnnxAttributeType.String => $"{Name}={ProtoReader.Shown(Text)}",
        OnnxAttributeType.Ints => $"{Name}=[{string.Join(", ", Ints.Select(i => i.ToString(CultureInfo.InvariantCulture)))}]",
        OnnxAttributeType.Floats => $"{Name}=[{string.Join(", ", Floats.Select(f => f.ToString(CultureInfo.InvariantCulture)))}]",
        _ => $"{Name} ({Type})",
    };

    internal void WriteTo(ProtoWriter w)
    {
        w.String(1, Name);
        w.Int64(20, (long)Type);
        switch (Type)
        {
            case OnnxAttributeType.Float: w.Float(2, Float); break;
            case OnnxAttributeType.Int: w.Int64(3, Int); break;
            case OnnxAttributeType.Tensor: w.Message(5, Tensor!.WriteTo); break;
            case OnnxAttributeType.Ints: w.PackedInt64(8, Ints); break;
            default: throw new InvalidOperationException($"Attribute '{Name}': Nabla writes no {Type} attributes.");
        }
    }

    /// <summary>Reads an <c>AttributeProto</c>; subgraphs and lists of tensors are skipped unread (no Nabla layer takes them).</summary>
    internal static OnnxAttribute Read(ProtoReader r)
    {
        string name = "";
        var type = OnnxAttributeType.Undefined;
        float f = 0;
        long i = 0;
        string s = "";
        OnnxTensor? t = null;
        List<float> floats = [];
        List<long> ints = [];
        // Files from before IR version 2 left the type out; the field that is present says it.
        var present = OnnxAttributeType.Undefined;
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: name = r.String(wire, "an attribute's name"); break;
                case 20: type = (OnnxAttributeType)r.Int32(wire, "an attribute's type"); break;
                case 2: f = r.Float(wire, "an attribute's float"); present = OnnxAttributeType.Float; break;
                case 3: i = r.Int64(wire, "an attribute's int"); present = OnnxAttributeType.Int; break;
                case 4: s = r.String(wire, "an attribute's string"); present = OnnxAttributeType.String; break;
                case 5: t = OnnxTensor.Read(r.Message(wire, "an attribute's tensor")); present = OnnxAttributeType.Tensor; break;
                case 7: r.Repeated(wire, WireType.Fixed32, "an attribute's floats", v => floats.Add(v.NextFloat())); present = OnnxAttributeType.Floats; break;
                case 8: r.Repeated(wire, WireType.Varint, "an attribute's ints", v => ints.Add(v.NextInt64())); present = OnnxAttributeType.Ints; break;
                default: r.Skip(wire); break;
            }
        }
        if (name.Length == 0)
            throw r.Error("an attribute has no name");
        if (type == OnnxAttributeType.Undefined)
            type = present;
        if (type == OnnxAttributeType.Tensor && t is null)
            throw r.Error($"attribute {ProtoReader.Shown(name)} is a tensor attribute without a tensor");
        return new OnnxAttribute(name, type) { Float = f, Int = i, Text = s, Tensor = t, Floats = floats, Ints = ints };
    }
}
