using System.Buffers.Binary;
using System.Text;

namespace Nabla.Onnx;

/// <summary>
/// Reads protocol-buffer fields from a span of a file, bounded so that hostile input cannot make it allocate or
/// recurse beyond the file: every length is checked against the bytes that remain before anything is sliced or
/// allocated, varints are at most ten bytes, and nested messages at most <see cref="MaxDepth"/> deep. Every defect is
/// a <see cref="NablaInputException"/> that names the file and the byte offset.
/// </summary>
internal sealed class ProtoReader
{
    /// <summary>The deepest nesting of messages read (ONNX's model → graph → node → attribute → tensor is five).</summary>
    public const int MaxDepth = 16;

    private readonly byte[] _data;
    private readonly int _end;
    private readonly int _depth;
    private int _position;

    /// <summary>A reader over the whole of <paramref name="data"/>; <paramref name="source"/> names the file in errors.</summary>
    public ProtoReader(byte[] data, string source)
        : this(data, 0, data.Length, 0, source)
    {
    }

    private ProtoReader(byte[] data, int start, int end, int depth, string source)
    {
        _data = data;
        _position = start;
        _end = end;
        _depth = depth;
        Source = source;
    }

    /// <summary>The file, as errors name it.</summary>
    public string Source { get; }

    /// <summary>True when every field of this message has been read.</summary>
    public bool AtEnd => _position >= _end;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, WireType Type) Tag()
    {
        int at = _position;
        ulong tag = Varint();
        ulong field = tag >> 3;
        var type = (WireType)(tag & 7);
        if (field == 0 || field > 536_870_911)
            throw Error(at, $"a field number of {field}; expected 1 to 536870911");
        if (type is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
            throw Error(at, $"field {field} has wire type {(int)type}; expected 0, 1, 2 or 5 (groups are not used by ONNX)");
        return ((int)field, type);
    }

    /// <summary>A varint, as an int64 (protobuf's int32, int64 and enum values).</summary>
    public long Int64(WireType type, string what)
    {
        Expect(type, WireType.Varint, what);
        return (long)Varint();
    }

    /// <summary>A varint that must fit an int32 (protobuf's int32 and enum values, sign-extended on the wire).</summary>
    public int Int32(WireType type, string what)
    {
        int at = _position;
        long value = Int64(type, what);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(at, $"{what} is {value}; expected a 32-bit integer");
    }

    /// <summary>A float (wire type 5).</summary>
    public float Float(WireType type, string what)
    {
        Expect(type, WireType.Fixed32, what);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));
    }

    /// <summary>The bytes of a length-delimited field (a view into the file, not a copy).</summary>
    public ReadOnlySpan<byte> Bytes(WireType type, string what)
    {
        Expect(type, WireType.LengthDelimited, what);
        return Take(Length(what), what);
    }

    /// <summary>A UTF-8 string field (invalid sequences become U+FFFD).</summary>
    public string String(WireType type, string what) => Encoding.UTF8.GetString(Bytes(type, what));

    /// <summary>A reader over a nested message's bytes, one level deeper.</summary>
    public ProtoReader Message(WireType type, string what)
    {
        Expect(type, WireType.LengthDelimited, what);
        int length = Length(what);
        if (_depth + 1 > MaxDepth)
            throw Error(_position, $"{what} is nested more than {MaxDepth} messages deep");
        var inner = new ProtoReader(_data, _position, _position + length, _depth + 1, Source);
        _position += length;
        return inner;
    }

    /// <summary>
    /// The values of a repeated numeric field, packed (one length-delimited run) or not (one value per tag): calls
    /// <paramref name="add"/> with a reader positioned at each value.
    /// </summary>
    public void Repeated(WireType type, WireType element, string what, Action<ProtoReader> add)
    {
        if (type != WireType.LengthDelimited)
        {
            Expect(type, element, what);
            add(this);
            return;
        }
        var run = Message(type, what);
        while (!run.AtEnd)
            add(run);
    }

    /// <summary>A varint read as one element of a repeated field.</summary>
    public long NextInt64() => (long)Varint();

    /// <summary>A float read as one element of a repeated field.</summary>
    public float NextFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a float"));

    /// <summary>Skips a field this reader does not use.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint: Varint(); break;
            case WireType.Fixed64: Take(8, "a 64-bit field"); break;
            case WireType.Fixed32: Take(4, "a 32-bit field"); break;
            default: Take(Length("a field"), "a field"); break;
        }
    }

    /// <summary>An input error at the reader's position.</summary>
    public NablaInputException Error(string what) => Error(_position, what);

    /// <summary>
    /// <paramref name="text"/> (read from the file) fit for an error message: at most 60 characters, control
    /// characters escaped, so no file can make an error long or unreadable.
    /// </summary>
    public static string Shown(string? text)
    {
        if (text is null)
            return "(none)";
        var shown = new StringBuilder();
        foreach (char c in text.Length > 60 ? text[..60] : text)
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return text.Length > 60 ? $"\"{shown}…\" ({text.Length} characters)" : $"\"{shown}\"";
    }

    private NablaInputException Error(int at, string what) =>
        new($"{Source}: not a valid ONNX file: at byte {at}, {what}.", Source);

    private void Expect(WireType actual, WireType expected, string what)
    {
        if (actual != expected)
            throw Error($"{what} has wire type {(int)actual}; expected {(int)expected}");
    }

    private ulong Varint()
    {
        int at = _position;
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
                throw Error(at, "a number runs past the end of its message");
            byte b = _data[_position++];
            if (shift == 63 && b > 1)
                throw Error(at, "a number is longer than 64 bits");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw Error(at, "a number is longer than ten bytes");
    }

    private int Length(string what)
    {
        int at = _position;
        ulong length = Varint();
        if (length > (ulong)(_end - _position))
            throw Error(at, $"{what} claims {length} bytes; only {_end - _position} remain in its message");
        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > _end - _position)
            throw Error(_position, $"{what} needs {count} bytes; only {_end - _position} remain in its message");
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
