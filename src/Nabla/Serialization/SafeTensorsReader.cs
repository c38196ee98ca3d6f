using System.Buffers.Binary;
using System.Text.Json;
using Nabla.Text;

namespace Nabla.Serialization;

/// <summary>
/// Parses and validates a safetensors file that may be hostile. Every problem becomes a
/// <see cref="NablaInputException"/> naming the file, where the problem is, and what was expected.
/// </summary>
/// <remarks>
/// Nothing is allocated from a length the file claims until that length has been checked against
/// the bytes actually present: the header buffer only after its length is known to be at most
/// <see cref="SafeTensorsFile.MaxHeaderBytes"/> and within the file, the data buffer only after every
/// tensor's offsets have been checked to tile exactly the bytes that follow the header.
/// The rules are the reference's: tensors, sorted by offsets, must cover the data region
/// contiguously from 0 to its end, each exactly product(shape) × element size bytes.
/// Unknown fields inside a tensor entry are ignored, as the reference does.
/// </remarks>
internal sealed class SafeTensorsReader
{
    // The deepest valid header is root → tensor entry → shape array; a little headroom beyond that
    // still stops absurd nesting early.
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 8 };

    private readonly string _source;
    private readonly string? _path;

    private SafeTensorsReader(string source, string? path)
    {
        _source = source;
        _path = path;
    }

    /// <summary>Reads the <paramref name="length"/> bytes from the stream's current position.</summary>
    public static SafeTensorsFile Read(Stream stream, long length, string source, string? path) =>
        new SafeTensorsReader(source, path).Read(stream, length);

    private SafeTensorsFile Read(Stream stream, long length)
    {
        if (length < 8)
            throw Fail($"expected at least 8 bytes (the little-endian u64 header length); received {length}");
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, "the header length");
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > SafeTensorsFile.MaxHeaderBytes)
            throw Fail($"bytes 0..8 declare a header of {declared} bytes; expected at most {SafeTensorsFile.MaxHeaderBytes}");
        if (declared > (ulong)(length - 8))
            throw Fail($"bytes 0..8 declare a header of {declared} bytes, but only {length - 8} bytes follow them");

        int headerLength = (int)declared;
        var header = new byte[headerLength];
        ReadExactly(stream, header, "the header");
        long dataLength = length - 8 - headerLength;
        var (tensors, metadata) = ParseHeader(header);
        Validate(tensors, headerLength, dataLength);

        if (dataLength > Array.MaxLength)
            throw Fail($"the tensor data is {dataLength} bytes; this reader holds at most {Array.MaxLength} bytes in memory");
        var data = new byte[dataLength];
        ReadExactly(stream, data, "the tensor data");

        var result = tensors.ConvertAll(t => new SafeTensor(t.Name, t.DType, t.Shape, data.AsMemory((int)t.Begin, (int)(t.End - t.Begin))));
        return new SafeTensorsFile(_path, _source, result, metadata, data);
    }

    private (List<Entry> Tensors, Dictionary<string, string> Metadata) ParseHeader(byte[] header)
    {
        // The reference rejects a header that is not UTF-8 as a whole; checking it up front also
        // gives the exact offset, where System.Text.Json would report a generic syntax error.
        int invalid = FirstInvalidUtf8(header);
        if (invalid >= 0)
            throw Fail($"the header is not valid UTF-8 at file offset {8 + invalid}");

        JsonDocument document;
        try
        {
            CheckStrings(header);
            document = JsonDocument.Parse(header, JsonOptions);
        }
        catch (JsonException e)
        {
            // The writer never emits a newline, so a one-line header's position is a file offset.
            string where = e.LineNumber == 0
                ? $"file offset {8 + e.BytePositionInLine}"
                : $"line {e.LineNumber + 1}, byte {e.BytePositionInLine} of the header";
            // System.Text.Json appends its own "LineNumber: .. | BytePositionInLine: .." to the message.
            int position = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            string reason = (position < 0 ? e.Message : e.Message[..position]).TrimEnd('.');
            throw Fail($"the header (file offsets 8..{8 + header.Length}) is not valid JSON at {where}: {Quoted.Message(reason)}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail($"expected the header to be a JSON object; received {Kind(root)}");

            var tensors = new List<Entry>();
            Dictionary<string, string>? metadata = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Fail($"the header names {Quoted.Value(property.Name)} twice; names must be unique");
                if (property.Name == SafeTensorsFile.MetadataKey)
                    metadata = ParseMetadata(property.Value);
                else
                    tensors.Add(ParseEntry(property.Name, property.Value));
            }
            return (tensors, metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    private Dictionary<string, string> ParseMetadata(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail($"expected \"{SafeTensorsFile.MetadataKey}\" to be an object of strings; received {Kind(value)}");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
                throw Fail($"expected metadata {Quoted.Value(property.Name)} to be a string; received {Kind(property.Value)}");
            if (!metadata.TryAdd(property.Name, property.Value.GetString()!))
                throw Fail($"the metadata names {Quoted.Value(property.Name)} twice; keys must be unique");
        }
        return metadata;
    }

    private Entry ParseEntry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fail($"tensor {Quoted.Value(name)}: expected an object with \"dtype\", \"shape\" and \"data_offsets\"; received {Kind(value)}");

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeElement;
            switch (field.Name)
            {
                case "dtype": break;
                case "shape": slot = ref shapeElement; break;
                case "data_offsets": slot = ref offsetsElement; break;
                default: continue;
            }
            if (slot is not null)
                throw Fail($"tensor {Quoted.Value(name)}: \"{field.Name}\" appears twice");
            slot = field.Value;
        }

        if (dtypeElement is not { } dtypeValue)
            throw Fail($"tensor {Quoted.Value(name)}: missing \"dtype\"");
        if (dtypeValue.ValueKind != JsonValueKind.String)
            throw Fail($"tensor {Quoted.Value(name)}: expected \"dtype\" to be a string; received {Kind(dtypeValue)}");
        string dtypeName = dtypeValue.GetString()!;
        if (!SafeTensorDTypeExtensions.TryParseJsonName(dtypeName, out var dtype))
            throw Fail($"tensor {Quoted.Value(name)}: unknown dtype {Quoted.Value(dtypeName)}; expected one of {SafeTensorDTypeExtensions.SupportedJsonNames}");

        if (shapeElement is not { } shapeValue)
            throw Fail($"tensor {Quoted.Value(name)}: missing \"shape\"");
        long[] shape = ReadIntegers(name, "shape", shapeValue, expectedCount: null);

        if (offsetsElement is not { } offsetsValue)
            throw Fail($"tensor {Quoted.Value(name)}: missing \"data_offsets\"");
        long[] offsets = ReadIntegers(name, "data_offsets", offsetsValue, expectedCount: 2);

        long bytes = SafeTensor.ByteCountOf(shape, dtype)
            ?? throw Fail($"tensor {Quoted.Value(name)}: shape {SafeTensor.FormatShape(shape)} of {dtype.ToJsonName()} overflows 64 bits when multiplied out");
        return new Entry(name, dtype, shape, offsets[0], offsets[1], bytes);
    }

    private long[] ReadIntegers(string name, string field, JsonElement value, int? expectedCount)
    {
        string expected = expectedCount is { } n ? $"an array of {n} non-negative integers" : "an array of non-negative integers";
        if (value.ValueKind != JsonValueKind.Array)
            throw Fail($"tensor {Quoted.Value(name)}: expected \"{field}\" to be {expected}; received {Kind(value)}");
        int count = value.GetArrayLength();
        if (expectedCount is { } exact && count != exact)
            throw Fail($"tensor {Quoted.Value(name)}: expected \"{field}\" to be {expected}; received {count} elements");
        var result = new long[count];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            // TryGetInt64 refuses fractions and exponents ("2.0", "1e3"), as serde's usize does.
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw Fail($"tensor {Quoted.Value(name)}: expected \"{field}\"[{i}] to be a non-negative integer below 2^63; received {Quoted.Value(item.GetRawText())}");
            result[i++] = v;
        }
        return result;
    }

    /// <summary>
    /// Reads through the JSON once, decoding every string, so that a string JsonDocument could not
    /// turn into .NET text (an escaped lone surrogate such as "\ud800") is reported with its offset
    /// instead of surfacing later as an InvalidOperationException.
    /// </summary>
    private void CheckStrings(byte[] header)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = JsonOptions.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException e)
            {
                throw Fail($"the header string at file offset {8 + reader.TokenStartIndex} is not valid Unicode (it holds a lone surrogate)", e);
            }
        }
    }

    private void Validate(List<Entry> tensors, int headerLength, long dataLength)
    {
        long dataStart = 8L + headerLength;
        // Name as the tie-break makes the error for a bad file the same on every run.
        tensors.Sort((a, b) =>
        {
            int c = a.Begin.CompareTo(b.Begin);
            if (c == 0)
                c = a.End.CompareTo(b.End);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });

        Entry? previous = null;
        long covered = 0;
        foreach (var t in tensors)
        {
            string where = $"tensor {Quoted.Value(t.Name)} (data_offsets [{t.Begin}, {t.End}])";
            if (t.End < t.Begin)
                throw Fail($"{where}: expected end >= begin");
            if (t.End - t.Begin != t.Bytes)
                throw Fail($"{where}: dtype {t.DType.ToJsonName()} and shape {SafeTensor.FormatShape(t.Shape)} need {t.Bytes} bytes; the offsets span {t.End - t.Begin}");
            if (t.End > dataLength)
                throw Fail($"{where}: expected offsets within the {dataLength}-byte data region (file offsets {dataStart}..{dataStart + dataLength}); it ends {t.End - dataLength} bytes beyond it");
            if (t.Begin < covered)
                throw Fail($"{where}: overlaps tensor {Quoted.Value(previous!.Name)} (data_offsets [{previous.Begin}, {previous.End}])");
            if (t.Begin > covered)
                throw Fail($"data bytes {covered}..{t.Begin} (file offsets {dataStart + covered}..{dataStart + t.Begin}) belong to no tensor; expected {where} to begin at {covered}");
            covered = t.End;
            previous = t;
        }
        if (covered != dataLength)
            throw Fail($"{dataLength - covered} trailing byte(s) at file offsets {dataStart + covered}..{dataStart + dataLength} belong to no tensor; expected the tensors to end at the end of the file");
    }

    private void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            // Only when the file shrank after its length was taken; the length checks cover the rest.
            throw Fail($"the file ended while reading {what}", e);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
                return offset;
            offset += consumed;
        }
        return -1;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Quoted.Value(element.GetString()!)}",
        JsonValueKind.Number => $"the number {Quoted.Value(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private NablaInputException Fail(string detail, Exception? inner = null) =>
        new($"Invalid safetensors file '{_source}': {detail}.", _path, inner);

    private sealed record Entry(string Name, SafeTensorDType DType, long[] Shape, long Begin, long End, long Bytes);
}
