using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Nabla.Serialization;

/// <summary>
/// Lays out a safetensors file deterministically, so the same tensors and metadata always give the
/// same bytes.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Tensors are ordered like the reference writer: by dtype descending (F64, I64 and U64 before
/// F32, see <see cref="SafeTensorDType"/>), then by name compared byte by byte in UTF-8. Placing the
/// widest types first keeps every tensor aligned to its element size, as the header is padded to 8.</item>
/// <item>The header JSON has no whitespace: <c>"__metadata__"</c> first (omitted when there is no
/// metadata) with keys in UTF-8 byte order, then the tensors in data order, each as
/// <c>{"dtype":..,"shape":[..],"data_offsets":[begin,end]}</c>. Strings are escaped the way
/// serde_json does (only <c>"</c>, <c>\</c> and control characters), so for the same input the header
/// matches the reference's byte for byte.</item>
/// <item>The header is padded with spaces to a multiple of 8 bytes.</item>
/// </list>
/// </remarks>
internal static class SafeTensorsWriter
{
    /// <summary>The tensors in file order; throws <see cref="ArgumentException"/> on duplicate names.</summary>
    public static List<SafeTensor> Order(IEnumerable<SafeTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var keyed = new List<(SafeTensor Tensor, byte[] Utf8Name)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Two tensors are named '{tensor.Name}'; names must be unique.", nameof(tensors));
            keyed.Add((tensor, SafeTensor.StrictUtf8.GetBytes(tensor.Name)));
        }
        keyed.Sort((a, b) =>
        {
            int byType = b.Tensor.DType.CompareTo(a.Tensor.DType);
            return byType != 0 ? byType : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name);
        });
        return keyed.ConvertAll(k => k.Tensor);
    }

    /// <summary>Writes the whole file to <paramref name="output"/>.</summary>
    public static void Write(Stream output, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ordered = Order(tensors);
        byte[] header = Header(ordered, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        output.Write(header);
        foreach (var tensor in ordered)
            output.Write(tensor.Data.Span);
    }

    private static byte[] Header(List<SafeTensor> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new StringBuilder("{");
        bool first = true;
        if (metadata is { Count: > 0 })
        {
            AppendString(json, SafeTensorsFile.MetadataKey);
            json.Append(":{");
            var entries = metadata.Select(kv => (kv.Key, kv.Value, Utf8Key: Utf8(kv.Key, "Metadata key"))).ToList();
            entries.Sort((a, b) => a.Utf8Key.AsSpan().SequenceCompareTo(b.Utf8Key));
            for (int i = 0; i < entries.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(entries[i].Value, $"metadata[\"{entries[i].Key}\"]");
                Utf8(entries[i].Value, $"The value of metadata key '{entries[i].Key}'");
                if (i > 0)
                    json.Append(',');
                AppendString(json, entries[i].Key);
                json.Append(':');
                AppendString(json, entries[i].Value);
            }
            json.Append('}');
            first = false;
        }

        long offset = 0;
        foreach (var tensor in ordered)
        {
            if (!first)
                json.Append(',');
            first = false;
            AppendString(json, tensor.Name);
            json.Append(":{\"dtype\":\"").Append(tensor.DType.ToJsonName()).Append("\",\"shape\":[");
            json.AppendJoin(',', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            long end = offset + tensor.Data.Length;
            json.Append("],\"data_offsets\":[")
                .Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(end.ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset = end;
        }
        json.Append('}');

        int jsonBytes = SafeTensor.StrictUtf8.GetByteCount(json.ToString());
        int padded = (jsonBytes + 7) / 8 * 8;
        if (padded > SafeTensorsFile.MaxHeaderBytes)
            throw new ArgumentException($"The header would be {padded} bytes; readers accept at most {SafeTensorsFile.MaxHeaderBytes}.", nameof(metadata));
        var header = new byte[padded];
        SafeTensor.StrictUtf8.GetBytes(json.ToString(), header);
        header.AsSpan(jsonBytes).Fill((byte)' ');
        return header;
    }

    private static byte[] Utf8(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return SafeTensor.StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{what} '{text}' is not valid UTF-16 (it holds a lone surrogate).", e);
        }
    }

    private static void AppendString(StringBuilder json, string text)
    {
        json.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    if (c < 0x20)
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        json.Append(c);
                    break;
            }
        }
        json.Append('"');
    }
}
