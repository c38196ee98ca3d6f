using System.Buffers.Binary;

namespace Nabla.Onnx;

/// <summary>
/// An ONNX tensor (<c>TensorProto</c>): a name, dimensions and values. Nabla writes FLOAT and INT64 tensors as
/// little-endian <c>raw_data</c>, and reads FLOAT and INT64 values from <c>raw_data</c> or the typed fields; a tensor
/// of another type is read with its name, type and dimensions but no values.
/// </summary>
public sealed class OnnxTensor
{
    /// <summary>A FLOAT tensor.</summary>
    /// <exception cref="ArgumentException">The dimensions do not hold <paramref name="values"/>' length.</exception>
    public OnnxTensor(string name, long[] dims, float[] values)
        : this(name, dims, OnnxDataType.Float, values, null)
    {
    }

    /// <summary>An INT64 tensor.</summary>
    /// <exception cref="ArgumentException">The dimensions do not hold <paramref name="values"/>' length.</exception>
    public OnnxTensor(string name, long[] dims, long[] values)
        : this(name, dims, OnnxDataType.Int64, null, values)
    {
    }

    private OnnxTensor(string name, long[] dims, OnnxDataType type, float[]? floats, long[]? int64s)
    {
        ArgumentNullException.ThrowIfNull(name);
        long count = ElementsOf(dims) ?? throw new ArgumentException($"Tensor '{name}': expected dimensions of at least 0 holding at most {int.MaxValue} values; received [{string.Join(", ", dims)}].", nameof(dims));
        long length = floats?.Length ?? int64s?.Length ?? count;
        if (length != count)
            throw new ArgumentException($"Tensor '{name}': the dimensions [{string.Join(", ", dims)}] hold {count} values; received {length}.", nameof(dims));
        Name = name;
        Dims = dims;
        DataType = type;
        Floats = floats;
        Int64s = int64s;
    }

    /// <summary>The tensor's name (an initializer's name is the value graph nodes refer to).</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>The element type.</summary>
    public OnnxDataType DataType { get; }

    /// <summary>The values of a FLOAT tensor, in row-major order; null for another type.</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an INT64 tensor, in row-major order; null for another type.</summary>
    public long[]? Int64s { get; }

    /// <summary>The number of values the dimensions hold.</summary>
    public long ElementCount => ElementsOf([.. Dims])!.Value;

    /// <summary>The product of <paramref name="dims"/>, or null when a dimension is negative or the product exceeds <see cref="int.MaxValue"/>.</summary>
    internal static long? ElementsOf(long[] dims)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0 || (d > 0 && count > int.MaxValue / d))
                return null;
            count *= d;
        }
        return count;
    }

    internal void WriteTo(ProtoWriter w)
    {
        w.PackedInt64(1, Dims);
        w.Int64(2, (long)DataType);
        w.String(8, Name);
        if (Floats is { } floats)
        {
            var raw = new byte[floats.Length * 4];
            for (int i = 0; i < floats.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), floats[i]);
            w.Bytes(9, raw);
        }
        else if (Int64s is { } longs)
        {
            var raw = new byte[longs.Length * 8];
            for (int i = 0; i < longs.Length; i++)
                BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), longs[i]);
            w.Bytes(9, raw);
        }
    }

    /// <summary>Reads a <c>TensorProto</c>; its values are checked against its dimensions before any array is allocated.</summary>
    internal static OnnxTensor Read(ProtoReader r)
    {
        var dims = new List<long>();
        var type = OnnxDataType.Undefined;
        string name = "";
        List<float>? floatData = null;
        List<long>? int64Data = null;
        byte[]? raw = null;
        bool external = false;
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: r.Repeated(wire, WireType.Varint, "a tensor's dims", v => dims.Add(v.NextInt64())); break;
                case 2: type = (OnnxDataType)r.Int32(wire, "a tensor's data_type"); break;
                case 4: r.Repeated(wire, WireType.Fixed32, "a tensor's float_data", v => (floatData ??= []).Add(v.NextFloat())); break;
                case 7: r.Repeated(wire, WireType.Varint, "a tensor's int64_data", v => (int64Data ??= []).Add(v.NextInt64())); break;
                case 8: name = r.String(wire, "a tensor's name"); break;
                case 9: raw = r.Bytes(wire, "a tensor's raw_data").ToArray(); break;
                case 14: external = r.Int64(wire, "a tensor's data_location") == 1; break;
                default: r.Skip(wire); break;
            }
        }
        string shown = ProtoReader.Shown(name);
        if (external)
            throw r.Error($"tensor {shown} keeps its values in an external file; Nabla reads self-contained ONNX files only");
        long count = ElementsOf([.. dims])
            ?? throw r.Error($"tensor {shown} has dimensions [{string.Join(", ", dims.Take(8))}{(dims.Count > 8 ? ", …" : "")}]; expected dimensions of at least 0 holding at most {int.MaxValue} values");
        switch (type)
        {
            case OnnxDataType.Float:
                return new OnnxTensor(name, [.. dims], Values(r, shown, count, raw, 4, floatData, (b, i) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan(4 * i))));
            case OnnxDataType.Int64:
                return new OnnxTensor(name, [.. dims], Values(r, shown, count, raw, 8, int64Data, (b, i) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan(8 * i))));
            default:
                return new OnnxTensor(name, [.. dims], type, null, null);
        }
    }

    private static TValue[] Values<TValue>(ProtoReader r, string name, long count, byte[]? raw, int size, List<TValue>? typed, Func<byte[], int, TValue> decode)
    {
        if (raw is not null)
        {
            // The raw bytes are already a slice of the file, so the count below is bounded by the file's length.
            if (raw.Length != count * size)
                throw r.Error($"tensor {name} has {raw.Length} bytes of raw_data; its dimensions need {count} values of {size} bytes");
            var values = new TValue[count];
            for (int i = 0; i < values.Length; i++)
                values[i] = decode(raw, i);
            return values;
        }
        int received = typed?.Count ?? 0;
        if (received != count)
            throw r.Error($"tensor {name} has {received} values; its dimensions need {count}");
        return typed is null ? [] : [.. typed];
    }
}
