using Nabla.Data;

namespace Nabla.Tests.Data;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Sub(params string[] parts) => Path.Combine([_dir.Path, .. parts]);

    /// <summary>A catalog whose every search root is inside the temp directory.</summary>
    private DatasetCatalog Catalog(bool withDataDir = true) =>
        new(withDataDir ? Sub("datadir") : null, Sub("env"), Sub("home"), Sub("system"));

    [Fact]
    public void SyntheticNamesTakeOptions()
    {
        var d = Catalog().Load<float>("Moons", new DatasetOptions { Samples = 50, Noise = 0, Seed = 3 });
        Assert.Equal(50, d.Count);
        Assert.Equal(Synthetic.Moons<float>(50, 0, 3).Features.Span.ToArray(), d.Features.Span.ToArray());
        Assert.Equal(200, Catalog().Load<float>("moons").Count);
        Assert.Equal(3, Catalog().Load<float>("spiral").ClassNames!.Count);
        Assert.Equal(4, Catalog().Load<float>("xor-table").Count);
    }

    [Fact]
    public void CsvAndIdxPaths()
    {
        string csv = _dir.Write("data.csv", "a,b,y\n1,2,u\n3,4,v\n");
        Assert.Equal(2, Catalog().Load<float>(csv).Count);
        string idx = IdxFiles.WriteDataset(Sub("my-images"), gzip: true);
        Assert.Equal(2, Catalog().Load<float>(idx, new DatasetOptions { Split = DataSplit.Test }).Count);
    }

    [Fact]
    public void SearchOrderIsDataDirThenEnvThenSystemThenHome()
    {
        // Train splits of different sizes tell the copies apart: 3 images each, so write distinct labels.
        foreach (var (root, label) in new[] { (Sub("home", ".nabla", "datasets", "fashion-mnist"), 4), (Sub("system", "fashion-mnist"), 3), (Sub("env", "fashion-mnist"), 2), (Sub("datadir", "fashion-mnist"), 1) })
        {
            IdxFiles.WriteDataset(root, gzip: false);
            File.WriteAllBytes(Path.Combine(root, "train-labels-idx1-ubyte"), IdxFiles.Labels((byte)label, 0, 0));
            Assert.Equal(label, Catalog().Load<float>("fashion-mnist").Labels![0]);
        }
        Assert.Equal(Sub("datadir", "fashion-mnist"), Catalog().Locate("fashion-mnist"));
        Assert.Equal("Trouser", Catalog().Load<float>("fashion-mnist").ClassNames![1]);
    }

    [Fact]
    public void DataDirMayHoldTheFilesItself()
    {
        IdxFiles.WriteDataset(Sub("datadir"), gzip: true);
        Assert.Equal(Sub("datadir"), Catalog().Locate("mnist"));
        Assert.Null(Catalog().Locate("something-else"));
    }

    [Fact]
    public void MissingImageDatasetSaysHowToGetIt()
    {
        var e = Assert.Throws<NablaInputException>(() => Catalog().Load<float>("fashion-mnist"));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("nabla datasets download fashion-mnist", e.Message);
        Assert.Contains(Sub("system", "fashion-mnist"), e.Message);
        var mnist = Assert.Throws<NablaInputException>(() => Catalog().Load<float>("mnist"));
        Assert.Contains("train-images-idx3-ubyte.gz", mnist.Message);
    }

    [Fact]
    public void UnknownNamesAndMissingPaths()
    {
        var e = Assert.Throws<NablaInputException>(() => Catalog().Load<float>("mnsit"));
        Assert.Contains("\"mnsit\"", e.Message);
        Assert.Contains("moons", e.Message);
        string missing = Sub("nope.csv");
        Assert.Equal(missing, Assert.Throws<NablaInputException>(() => Catalog().Load<float>(missing)).Path);
    }

    [Fact]
    public void MapsLabelsOntoAModelsClasses()
    {
        var options = new DatasetOptions { Samples = 20, ClassNames = ["1", "0"] };
        var own = Catalog().Load<float>("moons", options with { ClassNames = null });
        var mapped = Catalog().Load<float>("moons", options);
        Assert.Equal(own.Labels!.Select(l => 1 - l), mapped.Labels!);
        var e = Assert.Throws<NablaInputException>(() => Catalog().Load<float>("moons", options with { ClassNames = ["0"] }));
        Assert.Contains("'1'", e.Message);
        var iris = Assert.Throws<NablaInputException>(() => Catalog().Load<float>("iris", new DatasetOptions { ClassNames = ["setosa", "virginica"] }));
        Assert.Contains("'versicolor'", iris.Message);
    }

    [Fact]
    public void ListsBuiltinsAndInstalledDatasets()
    {
        IdxFiles.WriteDataset(Sub("env", "kmnist"), gzip: true);
        IdxFiles.WriteDataset(Sub("system", "fashion-mnist"), gzip: true);
        var entries = Catalog().List().ToDictionary(e => e.Name);
        Assert.Equal("generated", entries["moons"].Location);
        Assert.Equal("embedded", entries["iris"].Location);
        Assert.Equal(Sub("system", "fashion-mnist"), entries["fashion-mnist"].Location);
        Assert.False(entries["mnist"].Available);
        Assert.Contains("not installed", entries["mnist"].Description);
        Assert.Equal(Sub("env", "kmnist"), entries["kmnist"].Location);
        Assert.Equal(3, Catalog().Load<float>("kmnist").Count);
    }

    [Fact]
    public void DownloadDirectoryPrefersDataDirThenEnvThenHome()
    {
        Assert.Equal(Sub("datadir", "fashion-mnist"), Catalog().DownloadDirectory("fashion-mnist"));
        Assert.Equal(Sub("env", "fashion-mnist"), Catalog(withDataDir: false).DownloadDirectory("fashion-mnist"));
        Assert.Equal(Sub("home", ".nabla", "datasets", "x"), new DatasetCatalog(null, null, Sub("home"), Sub("system")).DownloadDirectory("x"));
    }
}
