using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Nabla.Tests.Plots;

/// <summary>
/// A strict little PNG reader for 8-bit grayscale and RGB, written independently of the encoder
/// (bitwise CRC, all five row filters) so the tests check the format, not the encoder against itself.
/// </summary>
internal static class PngDecoder
{
    public static (int Width, int Height, int Channels, byte[] Pixels) Decode(byte[] png)
    {
        Assert.Equal([137, 80, 78, 71, 13, 10, 26, 10], png[..8]);
        int at = 8, width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (at < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(BitwiseCrc(png.AsSpan(at + 4, 4 + length)), crc);
            types.Add(type);
            if (type == "IHDR")
            {
                Assert.Equal(13, length);
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 0 => 1, 2 => 3, _ => throw new InvalidDataException($"colour type {data[9]}") };
                Assert.Equal([0, 0, 0], data[10..13].ToArray());
            }
            else if (type == "IDAT")
                idat.Write(data);
            at += 12 + length;
        }
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);

        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            z.CopyTo(raw);
        byte[] filtered = raw.ToArray();
        int stride = width * channels;
        Assert.Equal(height * (stride + 1), filtered.Length);
        var pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = filtered[y * (stride + 1)];
            for (int i = 0; i < stride; i++)
            {
                int x = filtered[y * (stride + 1) + 1 + i];
                int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                pixels[y * stride + i] = (byte)(x + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                });
            }
        }
        return (width, height, channels, pixels);
    }

    /// <summary>CRC-32 one bit at a time, straight from the PNG specification's definition.</summary>
    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc >> 1) ^ (0xEDB88320 & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
