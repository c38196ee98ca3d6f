using System.Security.Cryptography;
using Nabla.Data;

namespace Nabla.Tests.Data;

public sealed class DatasetDownloaderTests : IDisposable
{
    private static readonly byte[] First = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
    private static readonly byte[] Second = "hello, dataset"u8.ToArray();

    private readonly TempDirectory _dir = new();
    private readonly LocalHttpServer _server = new(new Dictionary<string, byte[]> { ["a.gz"] = First, ["b.gz"] = Second });
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _dir.Dispose();
    }

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private DownloadSource Source(params DownloadFile[] files) => new("test-set", _server.BaseUri, files);

    private string Target => Path.Combine(_dir.Path, "test-set");

    [Fact]
    public async Task DownloadsVerifiesAndReportsProgress()
    {
        var reports = new List<DownloadProgress>();
        var progress = new SynchronousProgress(reports);
        string dir = await new DatasetDownloader(_http).DownloadAsync(Source(new("a.gz", Sha(First)), new("b.gz", Sha(Second))), Target, progress);
        Assert.Equal(First, File.ReadAllBytes(Path.Combine(dir, "a.gz")));
        Assert.Equal(Second, File.ReadAllBytes(Path.Combine(dir, "b.gz")));
        Assert.Empty(Directory.GetFiles(dir, "*.part"));
        var lastOfA = reports.Last(r => r.FileName == "a.gz");
        Assert.Equal((First.Length, (long?)First.Length), (lastOfA.BytesDone, lastOfA.BytesTotal));
        Assert.True(reports.Count(r => r.FileName == "a.gz") > 1, "expected progress during the 200 kB file");

        // A second run finds both files verified and fetches nothing.
        int before = _server.Requests;
        await new DatasetDownloader(_http).DownloadAsync(Source(new("a.gz", Sha(First)), new("b.gz", Sha(Second))), Target);
        Assert.Equal(before, _server.Requests);
    }

    [Fact]
    public async Task AWrongHashLeavesNoFileUnderTheFinalName()
    {
        string wrong = new('0', 64);
        var e = await Assert.ThrowsAsync<NablaInputException>(() =>
            new DatasetDownloader(_http).DownloadAsync(Source(new("b.gz", Sha(Second)), new("a.gz", wrong)), Target));
        Assert.Contains(new Uri(_server.BaseUri, "a.gz").ToString(), e.Message);
        Assert.Contains(wrong, e.Message);
        Assert.Contains(Sha(First), e.Message);
        Assert.False(File.Exists(Path.Combine(Target, "a.gz")));
        Assert.False(File.Exists(Path.Combine(Target, "a.gz.part")));
        Assert.True(File.Exists(Path.Combine(Target, "b.gz")));
    }

    [Fact]
    public async Task AWrongFileAlreadyThereIsReplaced()
    {
        Directory.CreateDirectory(Target);
        File.WriteAllText(Path.Combine(Target, "b.gz"), "stale");
        await new DatasetDownloader(_http).DownloadAsync(Source(new DownloadFile("b.gz", Sha(Second))), Target);
        Assert.Equal(Second, File.ReadAllBytes(Path.Combine(Target, "b.gz")));
    }

    [Fact]
    public async Task NotFound()
    {
        var e = await Assert.ThrowsAsync<NablaInputException>(() =>
            new DatasetDownloader(_http).DownloadAsync(Source(new DownloadFile("missing.gz", Sha(Second))), Target));
        Assert.Contains("404", e.Message);
        Assert.Contains("missing.gz", e.Message);
        Assert.Empty(Directory.GetFiles(Target));
    }

    [Fact]
    public void KnowsFashionMnistOnly()
    {
        var source = DownloadSource.Find("Fashion-MNIST");
        Assert.Equal(4, source.Files.Count);
        Assert.All(source.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Contains("fashion-mnist", Assert.Throws<NablaInputException>(() => DownloadSource.Find("mnist")).Message);
    }

    /// <summary>IProgress that records on the reporting thread (Progress&lt;T&gt; posts asynchronously).</summary>
    private sealed class SynchronousProgress(List<DownloadProgress> reports) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => reports.Add(value);
    }
}
