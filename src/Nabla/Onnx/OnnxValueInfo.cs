namespace Nabla.Onnx;

/// <summary>A graph input's or output's name, element type and shape (<c>ValueInfoProto</c> of a tensor type).</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">The element type; <see cref="OnnxDataType.Undefined"/> for a value that is not a tensor.</param>
/// <param name="Shape">The dimensions, or null when the file gives none.</param>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<OnnxDimension>? Shape)
{
    /// <summary>The shape as text: <c>[batch, 4]</c>.</summary>
    public string ShapeText => Shape is null ? "(no shape)" : $"[{string.Join(", ", Shape)}]";

    internal void WriteTo(ProtoWriter w)
    {
        w.String(1, Name);
        w.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Int64(1, (long)ElementType);
            if (Shape is not null)
                tensor.Message(2, shape =>
                {
                    foreach (var d in Shape)
                        shape.Message(1, dim =>
                        {
                            if (d.Value is { } v)
                                dim.Int64(1, v);
                            else
                                dim.String(2, d.Param);
                        });
                });
        }));
    }

    internal static OnnxValueInfo Read(ProtoReader r)
    {
        string name = "";
        var type = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            if (field == 1)
                name = r.String(wire, "a value's name");
            else if (field == 2)
                (type, shape) = ReadType(r.Message(wire, "a value's type"));
            else
                r.Skip(wire);
        }
        return new OnnxValueInfo(name, type, shape);
    }

    /// <summary>A <c>TypeProto</c>: only its tensor type is read (sequences and maps are no layer's input).</summary>
    private static (OnnxDataType, List<OnnxDimension>?) ReadType(ProtoReader r)
    {
        var type = OnnxDataType.Undefined;
        List<OnnxDimension>? shape = null;
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            if (field != 1)
            {
                r.Skip(wire);
                continue;
            }
            var tensor = r.Message(wire, "a tensor type");
            while (!tensor.AtEnd)
            {
                var (f, w) = tensor.Tag();
                if (f == 1)
                    type = (OnnxDataType)tensor.Int32(w, "a tensor type's elem_type");
                else if (f == 2)
                    shape = ReadShape(tensor.Message(w, "a tensor shape"));
                else
                    tensor.Skip(w);
            }
        }
        return (type, shape);
    }

    private static List<OnnxDimension> ReadShape(ProtoReader r)
    {
        var dims = new List<OnnxDimension>();
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            if (field != 1)
            {
                r.Skip(wire);
                continue;
            }
            var dim = r.Message(wire, "a dimension");
            long? value = null;
            string? param = null;
            while (!dim.AtEnd)
            {
                var (f, w) = dim.Tag();
                if (f == 1)
                    value = dim.Int64(w, "a dim_value");
                else if (f == 2)
                    param = dim.String(w, "a dim_param");
                else
                    dim.Skip(w);
            }
            dims.Add(new OnnxDimension(value, param));
        }
        return dims;
    }
}
