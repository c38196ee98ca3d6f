using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Tests.Data;

/// <summary>Builds small IDX files byte by byte, so tests can also build broken ones.</summary>
internal static class IdxFiles
{
    /// <summary>An image file: magic, count, rows, cols, then <paramref name="count"/> pixels (by default all of them).</summary>
    public static byte[] Images(int images, int rows, int cols, Func<int, byte> pixel, uint magic = 0x00000803, long? count = null)
    {
        var bytes = new byte[16 + (count ?? (long)images * rows * cols)];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), images);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (int i = 16; i < bytes.Length; i++)
            bytes[i] = pixel(i - 16);
        return bytes;
    }

    /// <summary>A label file: magic, count, then one byte per label.</summary>
    public static byte[] Labels(params byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>Writes a directory of the four standard files (train: 3 images, test: 2) and returns it.</summary>
    public static string WriteDataset(string directory, bool gzip)
    {
        Directory.CreateDirectory(directory);
        void Put(string name, byte[] data) =>
            File.WriteAllBytes(Path.Combine(directory, gzip ? name + ".gz" : name), gzip ? Gzip(data) : data);
        Put("train-images-idx3-ubyte", Images(3, 2, 2, i => (byte)(i * 20)));
        Put("train-labels-idx1-ubyte", Labels(0, 9, 4));
        Put("t10k-images-idx3-ubyte", Images(2, 2, 2, i => (byte)(255 - i)));
        Put("t10k-labels-idx1-ubyte", Labels(1, 2));
        return directory;
    }
}
