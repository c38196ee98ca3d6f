using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Tests.Data;

public sealed class DatasetTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void IdxImagesCarryTheirShapeThroughSubsetsSplitsAndClassMaps()
    {
        string directory = IdxFiles.WriteDataset(Path.Combine(_dir.Path, "digits"), gzip: false);
        var train = IdxReader.LoadDirectory<float>(directory, DataSplit.Train);
        Assert.Equal(SampleShape.Image(1, 2, 2), train.SampleShape);
        Assert.Equal(SampleShape.Image(1, 2, 2), train.Subset([2, 0]).SampleShape);
        var (left, right) = Split.TrainValidation(train, 0.34, seed: 1);
        Assert.Equal(SampleShape.Image(1, 2, 2), left.SampleShape);
        Assert.Equal(SampleShape.Image(1, 2, 2), right.SampleShape);
        var catalog = new DatasetCatalog(null, null, null, "/nonexistent");
        var mapped = catalog.Load<float>(directory, new DatasetOptions { ClassNames = ["9", "4", "0", "1", "2", "3", "5", "6", "7", "8"] });
        Assert.Equal(SampleShape.Image(1, 2, 2), mapped.SampleShape);
    }

    [Fact]
    public void ATableIsARowOfFeaturesAndAShapeMustHoldTheRow()
    {
        var features = new Matrix<double>(3, 12);
        var table = new Dataset<double>(features, [0, 1, 0], ["a", "b"], "table");
        Assert.Equal(SampleShape.Features(12), table.SampleShape);
        var images = new Dataset<double>(features, features.Clone(), "images") { SampleShape = SampleShape.Image(3, 2, 2) };
        Assert.Equal(SampleShape.Image(3, 2, 2), images.Subset([1]).SampleShape);
        Assert.Contains("A sample shape of 2×2×2 holds 8 values; each sample has 12 features",
            Assert.Throws<ArgumentException>(() => new Dataset<double>(features, features.Clone(), "images") { SampleShape = SampleShape.Image(2, 2, 2) }).Message);
    }
}
