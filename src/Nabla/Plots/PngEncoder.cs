using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Nabla.Plots;

/// <summary>
/// Encodes 8-bit grayscale or RGB pixels as a PNG, small enough to embed in an SVG or HTML file as
/// a data URI (a 28×28 digit is well under a kilobyte). Rows use the "Sub" filter, which turns the
/// flat regions and smooth gradients of plots into runs of zeros that deflate compresses well.
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>
    /// A PNG of <paramref name="width"/> × <paramref name="height"/> pixels, row-major from the top
    /// left, with <paramref name="channels"/> bytes per pixel: 1 (grayscale) or 3 (RGB).
    /// </summary>
    /// <example><c>byte[] png = PngEncoder.Encode(gray, 28, 28, channels: 1);</c></example>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3))
            throw new ArgumentException($"Expected 1 (grayscale) or 3 (RGB) channels; received {channels}.", nameof(channels));
        if (width < 1 || height < 1)
            throw new ArgumentException($"Expected a positive image size; received {width} x {height}.");
        if (pixels.Length != width * height * channels)
            throw new ArgumentException($"Expected {width} x {height} x {channels} = {width * height * channels} bytes; received {pixels.Length}.", nameof(pixels));

        using var png = new MemoryStream();
        png.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                          // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2); // colour type: grayscale or truecolour
        header[10] = header[11] = header[12] = 0;  // deflate, adaptive filtering, no interlace
        WriteChunk(png, "IHDR", header);

        int stride = width * channels;
        var filtered = new byte[height * (stride + 1)];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            int o = y * (stride + 1);
            filtered[o] = 1; // Sub: each byte minus the same channel of the pixel to its left
            for (int i = 0; i < stride; i++)
                filtered[o + 1 + i] = (byte)(row[i] - (i >= channels ? row[i - channels] : 0));
        }
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
                z.Write(filtered);
            WriteChunk(png, "IDAT", compressed.ToArray());
        }
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The PNG as a "data:image/png;base64,…" URI for an SVG image or HTML img.</summary>
    public static string ToDataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        // The CRC covers the chunk type and its data, not the length.
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed.AsSpan(4));
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32.Compute(typed));
        png.Write(four);
    }
}
