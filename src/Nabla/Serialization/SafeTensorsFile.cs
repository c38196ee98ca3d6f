using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;
using Nabla.IO;
using Nabla.Tensors;
using Nabla.Text;

namespace Nabla.Serialization;

/// <summary>
/// A safetensors file (the Hugging Face format): an 8-byte little-endian header length N, N bytes of
/// JSON describing each tensor (dtype, shape, data offsets) plus optional string metadata, then the
/// tensors' raw little-endian bytes. <see cref="Read(string)"/> parses and validates one;
/// <see cref="Write"/> writes one atomically and deterministically.
/// </summary>
/// <remarks>
/// Reading never runs code and never trusts a length before checking it against the file: any file
/// that is truncated, oversized, malformed or inconsistent is rejected with a
/// <see cref="NablaInputException"/> that names the file, the byte offset or tensor, and what was
/// expected. The whole tensor data region is held in memory (at most 2 GiB).
/// </remarks>
public sealed class SafeTensorsFile
{
    /// <summary>The largest header accepted, in bytes: 100 MB, the reference implementation's limit.</summary>
    public const int MaxHeaderBytes = 100_000_000;

    /// <summary>The header key that holds the string→string metadata instead of a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// The metadata key Nabla stores <see cref="ComputeDataChecksum(IEnumerable{SafeTensor})"/> under, and the
    /// one <see cref="VerifyDataChecksum"/> reads by default.
    /// </summary>
    public const string DataChecksumMetadataKey = "nabla.data_sha256";

    private readonly string _source;
    private readonly byte[] _data;
    private readonly Dictionary<string, SafeTensor> _byName;

    internal SafeTensorsFile(string? path, string source, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata, byte[] data)
    {
        Path = path;
        _source = source;
        Tensors = tensors;
        Metadata = metadata;
        _data = data;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file this was read from, or null when it was read from a stream or bytes.</summary>
    public string? Path { get; }

    /// <summary>The tensors, in the order of their data in the file.</summary>
    public IReadOnlyList<SafeTensor> Tensors { get; }

    /// <summary>The <c>"__metadata__"</c> entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Looks up a tensor by name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out SafeTensor? tensor) => _byName.TryGetValue(name, out tensor);

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="NablaInputException">The file has no such tensor; the message lists the ones it has.</exception>
    public SafeTensor this[string name] => _byName.TryGetValue(name, out var tensor)
        ? tensor
        : throw Fail($"expected a tensor named {Quoted.Value(name)}; the file holds {Names()}");

    /// <summary>
    /// The values of tensor <paramref name="name"/> as floats, row-major. F32 is returned as stored;
    /// F16 and BF16 are widened exactly; F64 is rounded to the nearest float, so magnitudes beyond
    /// <see cref="float.MaxValue"/> become infinities and tiny ones may lose precision or become zero.
    /// </summary>
    /// <exception cref="NablaInputException">No such tensor, or its dtype is not F32, F64, F16 or BF16.</exception>
    public float[] GetFloat32(string name)
    {
        var tensor = this[name];
        var bytes = tensor.Data.Span;
        var values = new float[tensor.ElementCount];
        switch (tensor.DType)
        {
            case SafeTensorDType.F32:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                break;
            case SafeTensorDType.F64:
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                break;
            default:
                ReadHalfWidth(tensor, bytes, values.Length, (i, v) => values[i] = v);
                break;
        }
        return values;
    }

    /// <summary>The values of the I64 tensor <paramref name="name"/>, row-major.</summary>
    /// <exception cref="NablaInputException">No such tensor, or its dtype is not I64.</exception>
    public long[] GetInt64(string name)
    {
        var tensor = this[name];
        if (tensor.DType != SafeTensorDType.I64)
            throw new NablaInputException($"{_source}: tensor '{name}': expected dtype I64; received {tensor.DType.ToJsonName()}.", Path);
        var bytes = tensor.Data.Span;
        var values = new long[tensor.ElementCount];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]);
        return values;
    }

    /// <summary>
    /// The values of tensor <paramref name="name"/> as doubles, row-major. F64 is returned as
    /// stored; F32, F16 and BF16 are widened, which is exact.
    /// </summary>
    /// <exception cref="NablaInputException">No such tensor, or its dtype is not F32, F64, F16 or BF16.</exception>
    public double[] GetFloat64(string name)
    {
        var tensor = this[name];
        var bytes = tensor.Data.Span;
        var values = new double[tensor.ElementCount];
        switch (tensor.DType)
        {
            case SafeTensorDType.F64:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
                break;
            case SafeTensorDType.F32:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                break;
            default:
                ReadHalfWidth(tensor, bytes, values.Length, (i, v) => values[i] = v);
                break;
        }
        return values;
    }

    /// <summary>
    /// Tensor <paramref name="name"/>, which must have two dimensions, as a <c>[rows, cols]</c> matrix,
    /// converted like <see cref="GetFloat32"/> (for float) or <see cref="GetFloat64"/> (for double).
    /// </summary>
    /// <exception cref="NablaInputException">No such tensor, it is not two-dimensional, or its dtype is not a float type.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Matrix<T> GetMatrix<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = this[name];
        if (tensor.Shape.Count != 2)
            throw Fail($"tensor {Quoted.Value(name)}: expected 2 dimensions [rows, cols]; received shape {SafeTensor.FormatShape(tensor.Shape)}");
        int rows = (int)tensor.Shape[0], cols = (int)tensor.Shape[1];
        // T is exactly float or double in these branches, so the casts reinterpret nothing.
        if (typeof(T) == typeof(float))
            return new Matrix<T>(rows, cols, (T[])(object)GetFloat32(name));
        if (typeof(T) == typeof(double))
            return new Matrix<T>(rows, cols, (T[])(object)GetFloat64(name));
        throw new NotSupportedException($"Safetensors matrices are float or double; received {typeof(T).Name}.");
    }

    /// <summary>
    /// SHA-256 of the tensor data region (every byte after the header), as 64 lowercase hex digits.
    /// Equal to <see cref="ComputeDataChecksum(IEnumerable{SafeTensor})"/> of the tensors it was written from.
    /// </summary>
    public string ComputeDataChecksum() => Convert.ToHexStringLower(SHA256.HashData(_data));

    /// <summary>
    /// SHA-256 of the data region that <see cref="Write"/> would produce for these tensors, as 64
    /// lowercase hex digits. Store it in the metadata (under <see cref="DataChecksumMetadataKey"/>) when
    /// writing and check it with <see cref="VerifyDataChecksum"/> after reading: it covers the tensor
    /// bytes only, so the header (shapes, names, metadata) is protected by the reader's own checks,
    /// not by the checksum.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public static string ComputeDataChecksum(IEnumerable<SafeTensor> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tensor in SafeTensorsWriter.Order(tensors))
            hash.AppendData(tensor.Data.Span);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Checks the data region against the checksum stored in the metadata under
    /// <paramref name="metadataKey"/> (compared ignoring case).
    /// </summary>
    /// <exception cref="NablaInputException">The key is missing, or the data does not match it.</exception>
    public void VerifyDataChecksum(string metadataKey = DataChecksumMetadataKey)
    {
        if (!Metadata.TryGetValue(metadataKey, out var expected))
            throw Fail($"expected a data checksum in metadata key {Quoted.Value(metadataKey)}; the file has none");
        string actual = ComputeDataChecksum();
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            throw Fail($"the tensor data is corrupt: metadata {Quoted.Value(metadataKey)} expects SHA-256 {Quoted.Value(expected)}; the data hashes to '{actual}'");
    }

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="NablaInputException">The file is missing, unreadable or not a valid safetensors file.</exception>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            return SafeTensorsReader.Read(stream, stream.Length, path, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NablaInputException($"Cannot read safetensors file '{path}': {e.Message}", path, e);
        }
    }

    /// <summary>
    /// Reads and validates a file from <paramref name="stream"/>, from its current position to its
    /// end. A stream that cannot seek is first copied into memory as it arrives, so only bytes that
    /// are really there get buffered. <paramref name="sourceName"/> names the input in messages.
    /// </summary>
    /// <exception cref="NablaInputException">The content is not a valid safetensors file.</exception>
    public static SafeTensorsFile Read(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string source = sourceName ?? "(stream)";
        if (stream.CanSeek)
            return SafeTensorsReader.Read(stream, stream.Length - stream.Position, source, sourceName);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return SafeTensorsReader.Read(copy, copy.Length, source, sourceName);
    }

    /// <summary>Reads and validates a whole file held in <paramref name="bytes"/>; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="NablaInputException">The bytes are not a valid safetensors file.</exception>
    public static SafeTensorsFile Read(byte[] bytes, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Read(new MemoryStream(bytes, writable: false), sourceName ?? "(bytes)");
    }

    /// <summary>
    /// Writes the tensors and metadata to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>):
    /// a failure at any point leaves the previous file untouched and no temporary file behind.
    /// The layout is deterministic (see <see cref="Serialize"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a metadata string is not valid UTF-16.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Write(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        AtomicFile.Write(path, stream => SafeTensorsWriter.Write(stream, tensors, metadata));
    }

    /// <summary>Writes the file's bytes to <paramref name="output"/>; see <see cref="Serialize"/> for the layout.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a metadata string is not valid UTF-16.</exception>
    public static void WriteTo(Stream output, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Write(output, tensors, metadata);

    /// <summary>
    /// The file's bytes. The same tensors and metadata, in any order, always give the same bytes:
    /// tensors sorted as the reference writer sorts them (dtype from widest to narrowest, then name
    /// in UTF-8 byte order), metadata keys in UTF-8 byte order and omitted when empty, JSON without
    /// whitespace, and the header padded with spaces to a multiple of 8 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a metadata string is not valid UTF-16.</exception>
    public static byte[] Serialize(IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var buffer = new MemoryStream();
        SafeTensorsWriter.Write(buffer, tensors, metadata);
        return buffer.ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => $"{_source}: {Tensors.Count} tensors, {_data.Length} data bytes";

    private void ReadHalfWidth(SafeTensor tensor, ReadOnlySpan<byte> bytes, int count, Action<int, float> store)
    {
        switch (tensor.DType)
        {
            case SafeTensorDType.F16:
                for (int i = 0; i < count; i++)
                    store(i, (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]));
                break;
            case SafeTensorDType.BF16:
                // A bfloat16 is the upper half of the float with the same sign, exponent and leading mantissa bits.
                for (int i = 0; i < count; i++)
                    store(i, BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16));
                break;
            default:
                throw Fail($"tensor {Quoted.Value(tensor.Name)}: expected a floating-point dtype (F32, F64, F16 or BF16); received {tensor.DType.ToJsonName()}");
        }
    }

    private string Names()
    {
        const int shown = 10;
        if (Tensors.Count == 0)
            return "no tensors";
        string list = string.Join(", ", Tensors.Take(shown).Select(t => Quoted.Value(t.Name)));
        return Tensors.Count > shown ? $"{list} and {Tensors.Count - shown} more" : list;
    }

    private NablaInputException Fail(string detail) => new($"Safetensors file '{_source}': {detail}.", Path);
}
