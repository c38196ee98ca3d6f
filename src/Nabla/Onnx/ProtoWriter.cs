using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Nabla.Onnx;

/// <summary>
/// Protocol-buffer encoding, the part ONNX files use: each field is a tag (<c>field number &lt;&lt; 3 | wire type</c>,
/// as a varint) and a value, a varint (wire type 0), four little-endian bytes (5), or a varint length and that many
/// bytes (2: strings, bytes, packed numbers and nested messages).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>A field of varint wire type: int32, int64 and enum values (negative numbers take ten bytes, as protobuf's int64 does).</summary>
    public void Int64(int field, long value)
    {
        Tag(field, WireType.Varint);
        Varint((ulong)value);
    }

    /// <summary>A float field (wire type 5).</summary>
    public void Float(int field, float value)
    {
        Tag(field, WireType.Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>A UTF-8 string field; nothing when <paramref name="value"/> is null.</summary>
    public void String(int field, string? value)
    {
        if (value is not null)
            Bytes(field, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>A length-delimited field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireType.LengthDelimited);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A nested message, written by <paramref name="write"/> and then length-prefixed.</summary>
    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner.Written);
    }

    /// <summary>A packed repeated int64 field: one length-delimited run of varints.</summary>
    public void PackedInt64(int field, IEnumerable<long> values)
    {
        var inner = new ProtoWriter();
        foreach (long v in values)
            inner.Varint((ulong)v);
        Bytes(field, inner.Written);
    }

    private void Tag(int field, WireType type) => Varint(((ulong)field << 3) | (ulong)type);

    private void Varint(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }
}
