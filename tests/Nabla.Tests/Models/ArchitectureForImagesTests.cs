using Nabla.Data;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Models;

/// <summary><see cref="Architecture.For{T}"/> sizes a network from the dataset's sample shape: an image for a convolution, its row for a <c>Linear</c> first.</summary>
public class ArchitectureForImagesTests
{
    private static Dataset<float> Images(int count = 6) =>
        new Dataset<float>(TestData.Gaussian(count, 2 * 5 * 5, seed: 1).Convert<float>(), [.. Enumerable.Range(0, count).Select(i => i % 2)], ["a", "b"], "images")
        {
            SampleShape = SampleShape.Image(2, 5, 5),
        };

    [Fact]
    public void AConvolutionReadsTheDatasetsImageShape()
    {
        var architecture = Architecture.For(Images(), NetworkSpelling.Parse("Conv2d(3, 3), ReLU, Flatten, Linear(2)"), "cross-entropy");

        Assert.Equal(SampleShape.Image(2, 5, 5), architecture.Input);
        Assert.Equal("Conv2d(2, 3, 3)", architecture.Layers[0].ToString());
        Assert.Equal(SampleShape.Image(3, 3, 3), architecture.Resolve()[0].Output);
    }

    [Fact]
    public void ALinearFirstLayerReadsEachImageAsItsRowAsAMultilayerPerceptronDoes()
    {
        var architecture = Architecture.For(Images(), NetworkSpelling.Parse("Linear(4), ReLU, Linear(2)"), "cross-entropy");

        Assert.Equal(SampleShape.Features(50), architecture.Input);
        Assert.Equal("Linear(50, 4)", architecture.Layers[0].ToString());
    }

    [Fact]
    public void WithSampleShapeReadsTheSameRowsAsImages()
    {
        var rows = new Dataset<float>(Images().Features, [0, 1, 0, 1, 0, 1], ["a", "b"], "table");

        var images = rows.WithSampleShape(SampleShape.Image(2, 5, 5));

        Assert.Equal(SampleShape.Features(50), rows.SampleShape);
        Assert.Equal(SampleShape.Image(2, 5, 5), images.SampleShape);
        Assert.Same(rows.Features, images.Features);
        Assert.Equal(rows.Labels, images.Labels);
        Assert.Contains("holds 49 values; each sample has 50 features", Assert.Throws<ArgumentException>(() => rows.WithSampleShape(SampleShape.Image(1, 7, 7))).Message);
    }
}
