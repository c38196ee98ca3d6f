using Nabla.Data;

namespace Nabla.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsBothSplitsRawOrGzip(bool gzip)
    {
        string dir = IdxFiles.WriteDataset(Path.Combine(_dir.Path, "set"), gzip);
        var train = IdxReader.LoadDirectory<float>(dir, DataSplit.Train);
        Assert.Equal(3, train.Count);
        Assert.Equal(4, train.FeatureCount);
        Assert.Equal([0, 9, 4], train.Labels!);
        Assert.Equal(10, train.TargetCount);
        Assert.Equal(20f / 255, train.Features[0, 1]);
        Assert.Equal(220f / 255, train.Features[2, 3]);
        var test = IdxReader.LoadDirectory<double>(dir, DataSplit.Test);
        Assert.Equal([1.0, 254.0 / 255, 253.0 / 255, 252.0 / 255], test.Features.Row(0).ToArray());
        Assert.Equal([1, 2], test.Labels!);
    }

    [Fact]
    public void WrongMagicNumber()
    {
        string path = Write("train-images-idx3-ubyte", IdxFiles.Images(1, 2, 2, _ => 0, magic: 0x00000801));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        AssertNames(e, path, ["byte offset 0", "0x00000803", "received 0x00000801"]);
    }

    [Fact]
    public void WrongTypeByte()
    {
        string path = Write("labels", IdxFiles.Labels(1, 2));
        File.WriteAllBytes(path, [0, 0, 0x0D, 1, .. File.ReadAllBytes(path)[4..]]);
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadLabels(path));
        AssertNames(e, path, ["byte offset 0", "0x00000801", "received 0x00000D01"]);
    }

    [Fact]
    public void TruncatedPixels()
    {
        var bytes = IdxFiles.Images(3, 2, 2, _ => 1);
        string path = Write("images", bytes[..^5]);
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        AssertNames(e, path, ["truncated", "12 bytes", "from byte offset 16", "ends at byte offset 23"]);
    }

    [Fact]
    public void TruncatedGzipHeader()
    {
        string path = Write("images.gz", IdxFiles.Gzip(IdxFiles.Images(3, 2, 2, _ => 1)[..10]));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        AssertNames(e, path, ["truncated", "dimension 2", "byte offset 8", "ends at byte offset 10"]);
    }

    [Fact]
    public void TrailingBytes()
    {
        string path = Write("labels", [.. IdxFiles.Labels(1, 2), 7]);
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadLabels(path));
        AssertNames(e, path, ["byte offset 10", "1 more bytes"]);
    }

    [Fact]
    public void CorruptGzip()
    {
        string path = Write("labels.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF]);
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadLabels(path));
        AssertNames(e, path, ["gzip"]);
    }

    [Fact]
    public void LabelsThatDoNotMatchTheImages()
    {
        string dir = IdxFiles.WriteDataset(Path.Combine(_dir.Path, "set"), gzip: false);
        string labels = Path.Combine(dir, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, IdxFiles.Labels(0, 1));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.LoadDirectory<float>(dir, DataSplit.Train));
        AssertNames(e, labels, ["byte offset 4", "expected 3 labels", "train-images-idx3-ubyte", "received 2"]);
    }

    [Fact]
    public void LabelOutsideTheClasses()
    {
        string dir = IdxFiles.WriteDataset(Path.Combine(_dir.Path, "set"), gzip: false);
        string labels = Path.Combine(dir, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, IdxFiles.Labels(0, 1, 12));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.LoadDirectory<float>(dir, DataSplit.Train));
        AssertNames(e, labels, ["byte offset 10", "below 10", "received 12"]);
    }

    [Fact]
    public void MissingAndEmptyFiles()
    {
        string dir = IdxFiles.WriteDataset(Path.Combine(_dir.Path, "set"), gzip: true);
        File.Delete(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.LoadDirectory<float>(dir, DataSplit.Test));
        AssertNames(e, dir, ["t10k-images-idx3-ubyte.gz", "found neither"]);
        string empty = Write("empty", []);
        AssertNames(Assert.Throws<NablaInputException>(() => IdxReader.ReadLabels(empty)), empty, ["empty", "byte offset 0"]);
    }

    [Fact]
    public void AGzipBombBehindAValidHeaderIsReadOnlyAsFarAsTheHeaderDeclares()
    {
        // 1,000 images of 28x28 (784,000 bytes) declared, followed by 64 MiB of zeros: the reader must stop at the declared length.
        const int declared = 1000 * 28 * 28;
        const long inflated = 64L << 20;
        string path = Path.Combine(_dir.Path, "train-images-idx3-ubyte.gz");
        using (var file = File.Create(path))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(IdxFiles.Images(1000, 28, 28, _ => 0, count: 0));
            var zeros = new byte[1 << 20];
            for (long written = 0; written < inflated; written += zeros.Length)
                gzip.Write(zeros);
        }
        string warmUp = Write("warm-up.gz", IdxFiles.Gzip(IdxFiles.Images(1, 2, 2, _ => 0)));
        IdxReader.ReadImages(warmUp); // so the JIT's allocations are not counted below

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertNames(e, path, ["byte offset 784016", "1000 images of 28x28 pixels", "784000 bytes as the header declares", "received more"]);
        Assert.True(allocated < declared + (1 << 20), $"Reading the bomb allocated {allocated} bytes; expected at most the declared {declared} plus 1 MiB.");
    }

    [Fact]
    public void AGzipFileTooSmallToHoldWhatItsHeaderDeclaresIsRefusedBeforeDecompressing()
    {
        // 60,000 images of 28x28 from a file of a few dozen bytes: deflate cannot expand more than 1032:1.
        string path = Write("images.gz", IdxFiles.Gzip(IdxFiles.Images(60_000, 28, 28, _ => 0, count: 0)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        AssertNames(e, path, ["60000 images of 28x28 pixels, 47040000 bytes of data", $"a gzip file of {new FileInfo(path).Length} bytes", "1032:1"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DimensionsWhoseProductOverflowsAreAnInputErrorSayingWhatTheHeaderDeclares(bool gzip)
    {
        // 2^22 x 2^21 x 2^21 = 2^64 bytes: wraps to 0 in 64-bit arithmetic, so it once passed the length check.
        byte[] header = IdxFiles.Images(1 << 22, 1 << 21, 1 << 21, _ => 0, count: 0);
        string path = Write(gzip ? "images.gz" : "images", gzip ? IdxFiles.Gzip(header) : header);
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        AssertNames(e, path, ["4194304 images of 2097152x2097152 pixels, 18446744073709551616 bytes of data", $"at most {Array.MaxLength} bytes"]);
    }

    [Fact]
    public void AHeaderDeclaringMoreThanTheLargestArrayIsRefused()
    {
        string path = Write("images", IdxFiles.Images(3, 1 << 15, 1 << 15, _ => 0, count: 0));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadImages(path));
        AssertNames(e, path, ["3 images of 32768x32768 pixels, 3221225472 bytes of data", $"expected at most {IdxReader.MaxDataBytes} bytes"]);
    }

    [Fact]
    public void GzipDataBeyondTheDeclaredLabelsIsRefused()
    {
        string path = Write("labels.gz", IdxFiles.Gzip([.. IdxFiles.Labels(1, 2), 7]));
        var e = Assert.Throws<NablaInputException>(() => IdxReader.ReadLabels(path));
        AssertNames(e, path, ["byte offset 10", "2 labels, 2 bytes as the header declares", "received more"]);
    }

    [Fact]
    public void ByteToUnitConversionMatchesScalarDivisionForEveryLength()
    {
        for (int length = 1; length <= 100; length++)
        {
            var pixels = Enumerable.Range(0, length).Select(i => (byte)(i * 37 + length)).ToArray();
            var features = IdxReader.ToFeatures<float>(new IdxImages(length, 1, 1, pixels));
            for (int i = 0; i < length; i++)
                Assert.Equal(pixels[i] / 255f, features[i, 0]);
        }
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertNames(NablaInputException e, string path, string[] fragments)
    {
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, e.Message);
    }
}
