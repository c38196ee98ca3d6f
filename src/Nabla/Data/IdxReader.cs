using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed (a <c>.gz</c> name): a
/// big-endian header (two zero bytes, type byte 0x08 for unsigned bytes, the number of dimensions,
/// then each dimension as a 32-bit integer) followed by the data. Images are 0x00000803
/// (count × rows × columns), labels 0x00000801 (count). Errors give the byte offset, counted in the
/// decompressed bytes for a <c>.gz</c> file.
/// </summary>
public static class IdxReader
{
    /// <summary>The four file names of a dataset directory, each optionally with <c>.gz</c>.</summary>
    public static readonly IReadOnlyList<string> StandardFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// The most data an IDX file may declare, in bytes: the largest .NET array, 2,147,483,591 bytes (just
    /// under 2 GiB). A header that declares more is refused before anything is allocated or decompressed.
    /// </summary>
    public static long MaxDataBytes => Array.MaxLength;

    /// <summary>Reads an image file (magic 0x00000803).</summary>
    /// <exception cref="NablaInputException">
    /// The file is missing, unreadable, not valid gzip (for a .gz name), or its header or length is wrong: the header
    /// declares more than <see cref="MaxDataBytes"/>, more than its gzip stream can hold, or a length the data does not have.
    /// </exception>
    public static IdxImages ReadImages(string path)
    {
        var (dims, pixels) = Read(path, 3, "images");
        return new IdxImages(dims[0], dims[1], dims[2], pixels);
    }

    /// <summary>Reads a label file (magic 0x00000801): one byte per sample.</summary>
    /// <exception cref="NablaInputException">As for <see cref="ReadImages"/>.</exception>
    public static byte[] ReadLabels(string path) => Read(path, 1, "labels").Data;

    /// <summary>
    /// Loads one split of a directory holding the four standard files: features are the pixels
    /// scaled to [0, 1] (one row of <c>rows * columns</c> per image; <see cref="Dataset{T}.PixelScale"/> 255 records it), labels index
    /// <paramref name="classNames"/> (default "0" … "9").
    /// </summary>
    public static Dataset<T> LoadDirectory<T>(string directory, DataSplit split, IReadOnlyList<string>? classNames = null, string? name = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Directory.Exists(directory))
            throw new NablaInputException($"{directory}: directory not found; expected a folder holding the IDX files {string.Join(", ", StandardFiles)}.", directory);
        string prefix = split == DataSplit.Train ? "train" : "t10k";
        string imagesPath = RequireFile(directory, $"{prefix}-images-idx3-ubyte");
        string labelsPath = RequireFile(directory, $"{prefix}-labels-idx1-ubyte");
        var images = ReadImages(imagesPath);
        byte[] labels = ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new NablaInputException(
                $"{labelsPath}: byte offset 4: expected {images.Count} labels, one per image in {imagesPath}; received {labels.Length}.", labelsPath);

        classNames ??= Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var intLabels = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classNames.Count)
                throw new NablaInputException(
                    $"{labelsPath}: byte offset {8 + i}: expected a label below {classNames.Count} (the number of classes); received {labels[i]}.", labelsPath);
            intLabels[i] = labels[i];
        }
        return new Dataset<T>(ToFeatures<T>(images), intLabels, classNames, name ?? directory) { SampleShape = SampleShape.Image(1, images.Rows, images.Columns), PixelScale = 255 };
    }

    /// <summary>The pixels as a matrix with one image per row, each byte b becoming b / 255.</summary>
    public static Matrix<T> ToFeatures<T>(IdxImages images) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var features = new Matrix<T>(images.Count, images.PixelsPerImage);
        if (typeof(T) == typeof(float))
            BytesToUnitFloats(images.Pixels.Span, MemoryMarshal.Cast<T, float>(features.Span));
        else
        {
            TensorPrimitives.ConvertTruncating<byte, T>(images.Pixels.Span, features.Span);
            TensorPrimitives.Divide(features.Span, T.CreateChecked(255), features.Span);
        }
        return features;
    }

    /// <summary>
    /// <c>destination[i] = source[i] / 255f</c> in one vectorised pass (32 bytes widened to four
    /// vectors of eight floats at a time); the division is IEEE, so it matches the scalar result exactly.
    /// </summary>
    private static void BytesToUnitFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var divisor = Vector256.Create(255f);
            for (; i <= source.Length - 32; i += 32)
            {
                var (low, high) = Vector256.Widen(Vector256.Create(source.Slice(i, 32)));
                var (a, b) = Vector256.Widen(low);
                var (c, d) = Vector256.Widen(high);
                (Vector256.ConvertToSingle(a.AsInt32()) / divisor).CopyTo(destination.Slice(i, 8));
                (Vector256.ConvertToSingle(b.AsInt32()) / divisor).CopyTo(destination.Slice(i + 8, 8));
                (Vector256.ConvertToSingle(c.AsInt32()) / divisor).CopyTo(destination.Slice(i + 16, 8));
                (Vector256.ConvertToSingle(d.AsInt32()) / divisor).CopyTo(destination.Slice(i + 24, 8));
            }
        }
        for (; i < source.Length; i++)
            destination[i] = source[i] / 255f;
    }

    /// <summary>The path of <paramref name="baseName"/> or <paramref name="baseName"/>.gz in <paramref name="directory"/> (raw first), or null.</summary>
    public static string? FindFile(string directory, string baseName)
    {
        string raw = Path.Combine(directory, baseName);
        if (File.Exists(raw))
            return raw;
        string gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    /// <summary>True when <paramref name="directory"/> holds all four standard files.</summary>
    public static bool IsDatasetDirectory(string directory) =>
        Directory.Exists(directory) && StandardFiles.All(f => FindFile(directory, f) is not null);

    private static string RequireFile(string directory, string baseName) =>
        FindFile(directory, baseName)
        ?? throw new NablaInputException($"{directory}: expected the file {baseName} or {baseName}.gz; found neither.", directory);

    /// <summary>The most a deflate stream can expand: 258 bytes per 2-bit code, about 1032:1.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>
    /// The header's dimensions and the data, decompressed when the name ends in .gz. Only as many bytes as the
    /// header declares are allocated, and decompression stops at the first chunk beyond them, so a gzip bomb
    /// behind a valid header costs no more memory than the header's claim, which is checked first.
    /// </summary>
    private static (int[] Dims, byte[] Data) Read(string path, int dimensions, string what)
    {
        if (!File.Exists(path))
            throw new NablaInputException($"{path}: file not found; expected an IDX file.", path);
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            long fileLength = file.Length;
            if (fileLength == 0)
                throw new NablaInputException($"{path}: the file is empty; expected an IDX header at byte offset 0.", path);
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;

            int headerLength = 4 + 4 * dimensions;
            var header = new byte[headerLength];
            int[] dims = ReadHeader(header.AsSpan(0, stream.ReadAtLeast(header, headerLength, throwOnEndOfStream: false)), path, dimensions, what);
            // At most three factors below 2^31 each: the exact product fits in 128 bits, so nothing can wrap around.
            Int128 declared = 1;
            foreach (int d in dims)
                declared *= d;
            string described = dimensions == 3 ? $"{dims[0]} images of {dims[1]}x{dims[2]} pixels" : $"{dims[0]} labels";
            if (declared > MaxDataBytes)
                throw new NablaInputException(
                    $"{path}: byte offset 4: the header declares {described}, {declared} bytes of data; expected at most {MaxDataBytes} bytes (the largest array).", path);
            if (gzip && headerLength + declared > MaxDeflateRatio * fileLength)
                throw new NablaInputException(
                    $"{path}: byte offset 4: the header declares {described}, {declared} bytes of data; a gzip file of {fileLength} bytes " +
                    $"decompresses to at most {MaxDeflateRatio * fileLength} bytes ({MaxDeflateRatio}:1), so the data cannot all be there.", path);
            if (!gzip)
                CheckLength(fileLength, path, headerLength, (long)declared, described);

            var data = new byte[(int)declared];
            long read = gzip ? Decompress(stream, data) : stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (read < data.Length)
                throw Truncated(path, headerLength + read, $"{declared} bytes of data ({described}) from byte offset {headerLength}");
            if (read > data.Length || stream.ReadByte() >= 0)
                throw new NablaInputException(
                    $"{path}: byte offset {headerLength + declared}: expected the data ({described}, {declared} bytes as the header declares) to end here; " +
                    "received more (reading stopped at the declared length).", path);
            return (dims, data);
        }
        catch (InvalidDataException e)
        {
            throw new NablaInputException($"{path}: expected gzip-compressed data (the name ends in .gz); the data is not valid gzip: {e.Message}", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NablaInputException($"{path}: cannot read the IDX file: {e.Message}", path, e);
        }
    }

    /// <summary>Decompresses the rest of <paramref name="gzip"/> into <paramref name="data"/>: the bytes written, or one more than fit if there are more.</summary>
    private static long Decompress(Stream gzip, byte[] data)
    {
        // A MemoryStream over an array cannot grow: the first write past its end throws, so a bomb's decompression
        // stops there. CopyTo also feeds the inflater bigger chunks than Read does, which is faster.
        var destination = new MemoryStream(data, writable: true);
        try
        {
            gzip.CopyTo(destination);
        }
        catch (NotSupportedException)
        {
            return data.Length + 1L;
        }
        return destination.Position;
    }

    private static int[] ReadHeader(ReadOnlySpan<byte> bytes, string path, int dimensions, string what)
    {
        uint expectedMagic = 0x00000800u | (uint)dimensions;
        if (bytes.Length < 4)
            throw Truncated(path, bytes.Length, $"a 4-byte magic number at byte offset 0");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw new NablaInputException(
                $"{path}: byte offset 0: expected the IDX magic number 0x{expectedMagic:X8} ({what}: unsigned bytes, {dimensions} dimension{(dimensions > 1 ? "s" : "")}); received 0x{magic:X8}.", path);
        var dims = new int[dimensions];
        for (int d = 0; d < dimensions; d++)
        {
            int offset = 4 + 4 * d;
            if (bytes.Length < offset + 4)
                throw Truncated(path, bytes.Length, $"dimension {d + 1} of {dimensions} at byte offset {offset}");
            uint value = BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
            if (value == 0 || value > int.MaxValue)
                throw new NablaInputException($"{path}: byte offset {offset}: expected a positive size for dimension {d + 1}; received {value}.", path);
            dims[d] = (int)value;
        }
        return dims;
    }

    /// <summary>Checks an uncompressed file's length against the header's claim before any data is read.</summary>
    private static void CheckLength(long fileLength, string path, int headerLength, long expected, string what)
    {
        long actual = fileLength - headerLength;
        if (actual < expected)
            throw Truncated(path, fileLength, $"{expected} bytes of data ({what}) from byte offset {headerLength}");
        if (actual > expected)
            throw new NablaInputException(
                $"{path}: byte offset {headerLength + expected}: expected the data ({what}) to end here; received {actual - expected} more bytes.", path);
    }

    private static NablaInputException Truncated(string path, long length, string expected) =>
        new($"{path}: truncated: expected {expected}; the data ends at byte offset {length}.", path);
}
