using System.Buffers.Binary;
using Nabla.Data;
using Nabla.Tests.Text;

namespace Nabla.Tests.Data;

/// <summary>
/// Seeded damage aimed at what the CSV and IDX readers parse (as <c>Serialization/MutationFuzzTests</c> does for
/// safetensors): every file either loads or is rejected with a <see cref="NablaInputException"/> whose message fits a
/// terminal, and no IDX header, whatever it claims, makes the reader allocate more than its small file can hold.
/// </summary>
public sealed class DataMutationFuzzTests : IDisposable
{
    private const int Iterations = 400;

    // CSV syntax, numbers, text, and what a hostile file would carry: ESC, BEL, CR, C1 CSI, a right-to-left override (UTF-8).
    private static readonly byte[][] CsvPieces =
        [.. ",\"\n\r\t .-+eE0123456789abcxyz".Select(c => new[] { (byte)c }), [0x1B], [0x07], [0xC2, 0x9B], [0xE2, 0x80, 0xAE], "NaN"u8.ToArray(), "1e39"u8.ToArray()];

    private static readonly byte[] ValidCsv = "x1,x2,label\n1.5,2,cat\n-3,4e2,dog\n0,0,cat\n\"5\",6,\"d,og\"\n"u8.ToArray();

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Mutated_CSV_files_only_ever_load_or_raise_a_NablaInputException_that_fits_a_terminal()
    {
        string path = System.IO.Path.Combine(_dir.Path, "fuzz.csv");
        int loaded = 0, rejected = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var random = new Random(7000 + i);
            File.WriteAllBytes(path, MutateCsv(random));
            foreach (var read in new Action[]
            {
                () => CsvLoader.Load<float>(path),
                () => CsvLoader.Load<double>(path, new CsvOptions { Regression = true, Label = "x1" }),
                () => CsvLoader.Load<float>(path, new CsvOptions { ClassNames = ["cat", "dog", "d,og"] }),
                () => CsvLoader.LoadFeatures<float>(path, 3),
            })
            {
                if (Outcome(read, $"CSV mutation {i}", File.ReadAllBytes(path)))
                    loaded++;
                else
                    rejected++;
            }
        }
        Assert.InRange(loaded, Iterations / 10, 4 * Iterations - 1);
        Assert.InRange(rejected, Iterations / 2, 4 * Iterations);
    }

    [Fact]
    public void Random_IDX_headers_only_ever_load_or_raise_a_NablaInputException_and_allocate_no_more_than_the_file_holds()
    {
        int loaded = 0, rejected = 0;
        IdxReader.ReadImages(IdxFiles.WriteDataset(System.IO.Path.Combine(_dir.Path, "warm-up"), gzip: true) + "/train-images-idx3-ubyte.gz");
        for (int i = 0; i < Iterations; i++)
        {
            string path = WriteIdx(new Random(9000 + i), out byte[] bytes);
            // Measured whether the read succeeds or fails: a claim that is refused must not have been allocated first.
            long before = GC.GetAllocatedBytesForCurrentThread();
            if (Outcome(() => ReadConsistently(path), $"IDX header {i}", bytes))
                loaded++;
            else
                rejected++;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // The file holds at most a few hundred bytes; deflate expands at most 1032:1.
            Assert.True(allocated < 1 << 20, $"IDX header {i} ({Convert.ToHexString(bytes[..Math.Min(bytes.Length, 32)])}) allocated {allocated} bytes.");
        }
        Assert.InRange(loaded, 1, Iterations - 1);
        Assert.InRange(rejected, Iterations / 2, Iterations);
    }

    /// <summary>Reads the images; what loads must be exactly what the header declares, one feature per pixel.</summary>
    private static void ReadConsistently(string path)
    {
        var images = IdxReader.ReadImages(path);
        var features = IdxReader.ToFeatures<float>(images);
        // In 128 bits, so that a product that wraps around in 64 cannot pass for the data's length.
        Assert.Equal((Int128)images.Count * images.Rows * images.Columns, images.Pixels.Length);
        Assert.Equal((images.Count, (long)images.Rows * images.Columns), (features.Rows, features.Cols));
    }

    /// <summary>True if <paramref name="read"/> succeeded; fails the test on any exception but a terminal-safe NablaInputException.</summary>
    private static bool Outcome(Action read, string label, byte[] bytes)
    {
        try
        {
            read();
            return true;
        }
        catch (NablaInputException e)
        {
            MessageAssert.FitsATerminal(e);
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{label} ({Convert.ToHexString(bytes[..Math.Min(bytes.Length, 200)])}) raised {e.GetType()}: {e}");
            throw;
        }
    }

    private static byte[] MutateCsv(Random random)
    {
        var bytes = new List<byte>(ValidCsv);
        for (int e = random.Next(1, 5); e > 0; e--)
        {
            int position = random.Next(bytes.Count + 1);
            byte[] piece = CsvPieces[random.Next(CsvPieces.Length)];
            switch (random.Next(5))
            {
                case 0 when position < bytes.Count:
                    bytes.RemoveAt(position);
                    break;
                case 1 when position < bytes.Count:
                    bytes[position] = piece[0];
                    break;
                case 2:
                    // A long field or label, or a long run of escape sequences.
                    bytes.InsertRange(position, Enumerable.Repeat(piece, random.Next(1, 2000)).SelectMany(p => p));
                    break;
                default:
                    bytes.InsertRange(position, piece);
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>An image file whose magic, dimensions and data length are drawn at random, raw or gzip.</summary>
    private string WriteIdx(Random random, out byte[] bytes)
    {
        uint[] dims = random.Next(6) == 0 ? Wrapping(random) : [Dimension(random), Dimension(random), Dimension(random)];
        long declared = (long)Math.Min(dims[0], 64) * Math.Min(dims[1], 64) * Math.Min(dims[2], 64);
        // Often exactly the declared length (when small), else a random one.
        int length = random.Next(3) == 0 && declared <= 256 ? (int)declared : random.Next(3) == 0 ? 0 : random.Next(0, 300);
        var file = new byte[16 + length];
        BinaryPrimitives.WriteUInt32BigEndian(file, random.Next(8) == 0 ? (uint)random.Next() : 0x00000803);
        for (int d = 0; d < 3; d++)
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(4 + 4 * d), dims[d]);
        random.NextBytes(file.AsSpan(16));
        bool gzip = random.Next(2) == 0;
        bytes = gzip ? IdxFiles.Gzip(file) : file;
        string path = System.IO.Path.Combine(_dir.Path, gzip ? "images.gz" : "images");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Three powers of two below 2^31 whose product is 2^64: it wraps to 0 in 64-bit arithmetic, as an empty file's data length is.</summary>
    private static uint[] Wrapping(Random random)
    {
        int first = random.Next(2, 32), second = random.Next(Math.Max(2, 33 - first), Math.Min(31, 62 - first) + 1);
        return [1u << first, 1u << second, 1u << (64 - first - second)];
    }

    /// <summary>Small, zero, a power of two up to 2^32 - 1, or anything: the values that reach each branch of the header checks.</summary>
    private static uint Dimension(Random random) => random.Next(4) switch
    {
        0 => (uint)random.Next(0, 5),
        1 => (uint)Math.Min((1L << random.Next(0, 33)) - random.Next(0, 2), uint.MaxValue),
        2 => (uint)random.NextInt64(0, 1L << 32),
        _ => (uint)random.Next(1, 9),
    };
}
