namespace Nabla.Data;

/// <summary>One file of a <see cref="DownloadSource"/> and the SHA-256 (lower-case hex) it must have.</summary>
public sealed record DownloadFile(string FileName, string Sha256);

/// <summary>
/// Where a dataset's files are published (<see cref="BaseUri"/> + each file name) and their checksums.
/// Use <c>source with { BaseUri = … }</c> to fetch the same files from a mirror.
/// </summary>
public sealed record DownloadSource(string Name, Uri BaseUri, IReadOnlyList<DownloadFile> Files)
{
    /// <summary>
    /// Fashion-MNIST from Zalando Research's repository. The SHA-256 values are of the official .gz files
    /// (the ones whose MD5 sums the project publishes: 8d4fb7e6…, 25c81989…, bef4ecab…, bb300cfd…).
    /// </summary>
    public static DownloadSource FashionMnist { get; } = new(
        "fashion-mnist",
        new Uri("https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/"),
        [
            new("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            new("train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            new("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            new("t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        ]);

    /// <summary>Every dataset <see cref="DatasetDownloader"/> knows how to fetch.</summary>
    public static IReadOnlyList<DownloadSource> Known { get; } = [FashionMnist];

    /// <summary>The known source called <paramref name="name"/> (case-insensitive), or an error listing the known ones.</summary>
    public static DownloadSource Find(string name) =>
        Known.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new NablaInputException(
            $"Cannot download \"{name}\": expected one of {string.Join(", ", Known.Select(s => s.Name))} (the datasets with verified checksums).");
}
