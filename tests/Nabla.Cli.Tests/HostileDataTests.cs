using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Nabla.Cli.Tests;

/// <summary>
/// Hostile data files given to the real command (issue 13, items 5, 6, 9 and 10). Each runs in a child process whose
/// garbage-collected heap is capped (DOTNET_GCHeapHardLimit), so an input that made the command hold more than the cap
/// would end in an OutOfMemoryException (an internal error, exit 1) instead of the exit code asserted. Each is refused
/// with a short escaped message, or handled, and the previous run's files in <c>--out</c> stay as they were. The readers'
/// own tests (Nabla.Tests: IdxReaderTests, CsvLoaderTests, ManyClassesTests) measure the same cases allocation by allocation.
/// </summary>
public class HostileDataTests
{
    private const long SmallHeap = 256L << 20;

    private static RunResult RunCapped(long heapBytes, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = heapBytes.ToString("x", CultureInfo.InvariantCulture) };
        using var child = new ChildProcess(environment, args);
        int code = child.WaitForExit(120);
        return new RunResult(code, child.Out, child.Err);
    }

    /// <summary>An output directory holding a previous run's files, and their bytes.</summary>
    private static (string Path, Dictionary<string, byte[]> Files) PreviousRun(TempDirectory dir)
    {
        string outDir = dir.File("previous-run");
        var run = Runner.Run("train", "--epochs", "2", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.ToString());
        return (outDir, Messages.Snapshot(outDir));
    }

    private static void AssertRefused(RunResult run, int exitCode, string expected, (string Path, Dictionary<string, byte[]> Files) previous)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString()[..Math.Min(run.ToString().Length, 4000)]);
        Assert.Contains(expected, run.Err);
        Assert.DoesNotContain("epoch 1/", run.Out);
        Messages.AssertBounded(run.Err);
        Messages.AssertSame(previous.Files, Messages.Snapshot(previous.Path));
    }

    /// <summary>The issue's gzip bomb, smaller: a valid header for 120 images of 8 × 8, their pixels, then 512 MiB of zeros (about 0.5 MB compressed), twice the heap.</summary>
    [Fact]
    public void AGzipBombBehindAValidHeaderIsReadNoFurtherThanTheHeaderDeclares()
    {
        using var dir = new TempDirectory();
        var previous = PreviousRun(dir);
        string data = ImageData.Shapes(dir);
        using (var file = File.Create(Path.Combine(data, "train-images-idx3-ubyte.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(Header(0x803, 120, 8, 8));
            gzip.Write(new byte[120 * 8 * 8]);
            var zeros = new byte[1 << 20];
            for (int mebibytes = 0; mebibytes < 512; mebibytes++)
                gzip.Write(zeros);
        }

        var run = RunCapped(SmallHeap, "train", "--data", data, "--epochs", "1", "--out", previous.Path);

        AssertRefused(run, 3, "expected the data (120 images of 8x8 pixels, 7680 bytes as the header declares) to end here; received more", previous);
    }

    /// <summary>2^22 × 2^21 × 2^21 bytes is 2^64: it wrapped to 0 and passed the length check.</summary>
    [Fact]
    public void AnIdxHeaderWhoseDimensionsOverflowIsAnInputError()
    {
        using var dir = new TempDirectory();
        var previous = PreviousRun(dir);
        string data = ImageData.Shapes(dir);
        using (var file = File.Create(Path.Combine(data, "train-images-idx3-ubyte.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            gzip.Write(Header(0x803, 1 << 22, 1 << 21, 1 << 21));

        var run = RunCapped(SmallHeap, "train", "--data", data, "--epochs", "1", "--out", previous.Path);

        AssertRefused(run, 3, "the header declares 4194304 images of 2097152x2097152 pixels, 18446744073709551616 bytes of data", previous);
    }

    /// <summary>A class label of 100 MB was trained for three epochs before the save failed; one just over the name limit is refused too.</summary>
    [Theory]
    [InlineData(100 << 20, "expected at most 1048576 characters in a field; received more, starting with 'xxxxxxxxxxxxxxxxxxxx'")]
    [InlineData(201, "expected a class label of at most 200 characters")]
    public void AHugeClassLabelIsRefusedBeforeTraining(int length, string expected)
    {
        using var dir = new TempDirectory();
        var previous = PreviousRun(dir);
        string csv = dir.File("labels.csv");
        WriteCsv(csv, "x1,x2,label\n1,2,a\n3,4,b\n5,6,", 'x', length, "\n");

        var run = RunCapped(SmallHeap, "train", "--data", csv, "--epochs", "3", "--out", previous.Path);

        AssertRefused(run, 3, expected, previous);
    }

    /// <summary>A 100 MB field of escape sequences was echoed whole, raw, to the terminal (and held 1.3 GB): train, evaluate and predict quote, escape and cut it.</summary>
    [Fact]
    public void AHugeFieldOfEscapeSequencesIsShownEscapedAndCutByEveryCommand()
    {
        using var dir = new TempDirectory();
        var previous = PreviousRun(dir);
        string labelled = dir.File("labelled.csv"), features = dir.File("features.csv");
        WriteCsv(labelled, "x1,x2,label\n1,2,0\n3,4,1\n", "\u001b[2J", 25 << 20, ",6,0\n");
        WriteCsv(features, "x1,x2\n1,2\n", "\u001b[2J", 25 << 20, ",6\n");
        string model = Path.Combine(previous.Path, "model.safetensors");
        const string expected = "expected at most 1048576 characters in a field; received more, starting with '\\u001b[2J\\u001b[2J";

        var train = RunCapped(SmallHeap, "train", "--data", labelled, "--epochs", "3", "--out", previous.Path);
        var evaluate = RunCapped(SmallHeap, "evaluate", "--model", model, "--data", labelled);
        string predictions = dir.File("predictions.csv");
        File.WriteAllText(predictions, "yesterday's predictions\n");
        var predict = RunCapped(SmallHeap, "predict", "--model", model, "--input", features, "--output", predictions);

        AssertRefused(train, 3, expected, previous);
        AssertRefused(evaluate, 3, expected, previous);
        AssertRefused(predict, 3, expected, previous);
        Assert.Equal("yesterday's predictions\n", File.ReadAllText(predictions));
        Assert.Equal(["predictions.csv"], Directory.GetFiles(dir.Path, "predictions*").Select(Path.GetFileName));
    }

    /// <summary>
    /// 2,000 classes trained with <c>--out</c> took 8.8 GB and wrote a 729 MB confusion matrix and a 730 MB report: now under a
    /// 512 MiB heap, with a confusion matrix of the 20 classes with the most mistakes and a report of a few hundred kilobytes.
    /// </summary>
    [Fact]
    public void TwoThousandClassesTrainWithOutInBoundedMemoryAndWriteSmallFigures()
    {
        using var dir = new TempDirectory();
        var previous = PreviousRun(dir);
        string csv = dir.File("classes.csv");
        WriteClasses(csv, classes: 2000, rows: 6000);

        var run = RunCapped(512L << 20, "train", "--data", csv, "--epochs", "2", "--out", previous.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var sizes = Directory.GetFiles(previous.Path).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
        Assert.True(sizes["confusion-matrix.svg"] < 200_000, $"confusion-matrix.svg is {sizes["confusion-matrix.svg"]:N0} bytes");
        Assert.True(sizes["report.html"] < 1_000_000, $"report.html is {sizes["report.html"]:N0} bytes");
        Assert.True(sizes.Values.Sum() < 2_000_000, string.Join(", ", sizes.Select(s => $"{s.Key} {s.Value:N0}")));
        Assert.Contains("the 20 of 2,000 classes with the most mistakes", File.ReadAllText(Path.Combine(previous.Path, "confusion-matrix.svg")));
    }

    /// <summary>
    /// 5,000 classes ran out of memory. Their one-hot targets (15,000 rows: 286 MiB, from a file of 640 kB) are refused
    /// before they are made when they cannot fit (an input error); when they fit but a full-batch run cannot, the run's
    /// estimate refuses it before training (a usage error). Either way with the figures in the message.
    /// </summary>
    [Theory]
    [InlineData(256, 3, "15,000 rows of 5,000 classes need 75,000,000 one-hot target values (286.1 MiB)")]
    [InlineData(512, 2, "The training run needs about")]
    public void FiveThousandClassesThatCannotFitAreRefusedWithTheEstimate(int heapMebibytes, int exitCode, string expected)
    {
        using var dir = new TempDirectory();
        var previous = PreviousRun(dir);
        string csv = dir.File("classes.csv");
        WriteClasses(csv, classes: 5000, rows: 15_000);

        var run = RunCapped((long)heapMebibytes << 20, "train", "--data", csv, "--epochs", "1", "--out", previous.Path);

        AssertRefused(run, exitCode, expected, previous);
    }

    private static byte[] Header(int magic, params int[] dims)
    {
        var bytes = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        return bytes;
    }

    /// <summary>Writes <paramref name="head"/>, <paramref name="piece"/> <paramref name="count"/> times, then <paramref name="tail"/>, without holding them in memory.</summary>
    private static void WriteCsv(string path, string head, object piece, int count, string tail)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        writer.Write(head);
        string chunk = string.Concat(Enumerable.Repeat(piece.ToString(), 4096));
        for (int written = 0; written < count; written += 4096)
            writer.Write(written + 4096 <= count ? chunk : string.Concat(Enumerable.Repeat(piece.ToString(), count - written)));
        writer.Write(tail);
    }

    /// <summary>Four features near class/classes, so the classes are learnable but the network barely starts in two epochs.</summary>
    private static void WriteClasses(string path, int classes, int rows)
    {
        var text = new StringBuilder("x1,x2,x3,x4,label\n");
        for (int i = 0; i < rows; i++)
        {
            int c = i % classes;
            for (int f = 0; f < 4; f++)
                text.Append(CultureInfo.InvariantCulture, $"{(double)c / classes + (i * 7919 + f * 104729) % 100 / 1e4:0.00000},");
            text.Append(CultureInfo.InvariantCulture, $"class {c}\n");
        }
        File.WriteAllText(path, text.ToString());
    }
}
