using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Tests.Data;

public class SplitTests
{
    /// <summary>100 samples whose single feature is the sample's index; 80 of class 0, 20 of class 1.</summary>
    private static Dataset<double> Skewed()
    {
        var features = new Matrix<double>(100, 1, Enumerable.Range(0, 100).Select(i => (double)i).ToArray());
        var labels = Enumerable.Range(0, 100).Select(i => i < 80 ? 0 : 1).ToArray();
        return new Dataset<double>(features, labels, ["a", "b"], "skewed");
    }

    private static double[] Ids(Dataset<double> d) => d.Features.Span.ToArray();

    [Fact]
    public void FractionsArePartitionsOfTheSamples()
    {
        var (train, validation, test) = Split.TrainValidationTest(Skewed(), 0.2, 0.1, seed: 1);
        Assert.Equal((70, 20, 10), (train.Count, validation.Count, test.Count));
        var all = Ids(train).Concat(Ids(validation)).Concat(Ids(test)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (double)i), all);
        Assert.All(Enumerable.Range(0, train.Count), i => Assert.Equal(train.Features[i, 0] < 80 ? 0 : 1, train.Labels![i]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheIndicesAreThePartsRowsInTheirOrder(bool stratified)
    {
        var (train, validation, test) = Split.TrainValidationTest(Skewed(), 0.2, 0.1, seed: 5, stratified);

        var indices = Split.Indices(Skewed(), 0.2, 0.1, seed: 5, stratified);

        Assert.Equal(Ids(train), indices.Train.Select(i => (double)i));
        Assert.Equal(Ids(validation), indices.Validation.Select(i => (double)i));
        Assert.Equal(Ids(test), indices.Test.Select(i => (double)i));
    }

    [Fact]
    public void StratifiedKeepsClassShares()
    {
        var (train, validation, test) = Split.TrainValidationTest(Skewed(), 0.25, 0.15, seed: 4, stratified: true);
        Assert.Equal(5, validation.Labels!.Count(l => l == 1));
        Assert.Equal(3, test.Labels!.Count(l => l == 1));
        Assert.Equal(12, train.Labels!.Count(l => l == 1));
        Assert.Equal((60, 25, 15), (train.Count, validation.Count, test.Count));
    }

    [Fact]
    public void StratifiedHitsTheRequestedSizeWithUnevenClasses()
    {
        var iris = new DatasetCatalog().Load<double>("iris");
        var (train, validation) = Split.TrainValidation(iris, 0.3, seed: 2, stratified: true);
        Assert.Equal((105, 45), (train.Count, validation.Count));
        Assert.All(new[] { 0, 1, 2 }, k => Assert.Equal(15, validation.Labels!.Count(l => l == k)));
    }

    [Fact]
    public void IsDeterministicBySeed()
    {
        var a = Split.TrainValidation(Skewed(), 0.3, seed: 7);
        var b = Split.TrainValidation(Skewed(), 0.3, seed: 7);
        var c = Split.TrainValidation(Skewed(), 0.3, seed: 8);
        Assert.Equal(Ids(a.Validation), Ids(b.Validation));
        Assert.Equal(Ids(a.Train), Ids(b.Train));
        Assert.NotEqual(Ids(a.Validation), Ids(c.Validation));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.001, 0.0)]
    public void RejectsImpossibleFractions(double validation, double test)
    {
        Assert.Throws<NablaInputException>(() => Split.TrainValidationTest(Skewed(), validation, test, seed: 0));
    }
}
