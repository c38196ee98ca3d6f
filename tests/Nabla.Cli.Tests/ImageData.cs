using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Cli.Tests;

/// <summary>Small image datasets for the CNN tests, written as gzip-compressed IDX files as MNIST ships them.</summary>
internal static class ImageData
{
    /// <summary>Writes <c>train-*</c> and <c>t10k-*</c> IDX files of <paramref name="side"/>×<paramref name="side"/> images into <paramref name="dir"/>.</summary>
    public static void WriteIdx(string dir, int side, byte[][] trainImages, byte[] trainLabels, byte[][] testImages, byte[] testLabels)
    {
        Directory.CreateDirectory(dir);
        Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), 0x803, [trainImages.Length, side, side], trainImages.SelectMany(i => i).ToArray());
        Write(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), 0x801, [trainLabels.Length], trainLabels);
        Write(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), 0x803, [testImages.Length, side, side], testImages.SelectMany(i => i).ToArray());
        Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), 0x801, [testLabels.Length], testLabels);
    }

    /// <summary>
    /// An 8×8 dataset of three shapes a small CNN tells apart in a few epochs, with pixel noise: a bright top-left square
    /// (class 0), a bright bottom-right square (1), a horizontal bar through the middle (2).
    /// </summary>
    public static string Shapes(TempDirectory dir, int train = 120, int test = 30, int seed = 1)
    {
        var rng = new Random(seed);
        (byte[][] Images, byte[] Labels) Make(int count)
        {
            var images = new byte[count][];
            var labels = new byte[count];
            for (int n = 0; n < count; n++)
            {
                int label = n % 3;
                var image = new byte[64];
                for (int p = 0; p < 64; p++)
                {
                    int r = p / 8, c = p % 8;
                    bool on = label switch { 0 => r < 4 && c < 4, 1 => r >= 4 && c >= 4, _ => r is 3 or 4 };
                    image[p] = (byte)Math.Clamp((on ? 200 : 30) + rng.Next(-30, 31), 0, 255);
                }
                (images[n], labels[n]) = (image, (byte)label);
            }
            return (images, labels);
        }
        var (trainImages, trainLabels) = Make(train);
        var (testImages, testLabels) = Make(test);
        string path = dir.File("shapes");
        WriteIdx(path, 8, trainImages, trainLabels, testImages, testLabels);
        return path;
    }

    private static void Write(string path, int magic, int[] dims, byte[] data)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        gzip.Write(word);
        foreach (int d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            gzip.Write(word);
        }
        gzip.Write(data);
    }
}
