using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

public class AvgPool2dTests
{
    public static TheoryData<int, int, int, (int, int), (int, int), (int, int), int> Shapes => MaxPool2dTests.Shapes;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsMatchFiniteDifferences(int c, int h, int w, (int, int) kernel, (int, int) stride, (int, int) padding, int batch)
    {
        var layer = new AvgPool2d<double>(SampleShape.Image(c, h, w), kernel, stride, padding);
        var result = GradientCheck.Layer(layer, TestData.Gaussian(batch, c * h * w, seed: 3), new Rng(4));
        TestData.AssertPassed(result);
        Assert.Equal(["input"], result.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void ForwardAveragesEachWindowCountingPaddingAsPyTorchDoes()
    {
        var layer = new AvgPool2d<double>(SampleShape.Image(1, 4, 4), (2, 2), (2, 2), (0, 0));
        var x = Matrix<double>.FromRows([1, 5, 2, 0, 3, 4, -1, -2, 9, 8, 7, 6, 0, 0, 6, 7]);
        Assert.Equal(new double[] { 13 / 4.0, -1 / 4.0, 17 / 4.0, 26 / 4.0 }, layer.Forward(x, training: false).Span.ToArray());

        // count_include_pad=True: a corner window of a padded 2×2 image holds one pixel and three zeros, divided by 4.
        var padded = new AvgPool2d<double>(SampleShape.Image(1, 2, 2), (2, 2), (2, 2), (1, 1));
        Assert.Equal(new double[] { 0.25, 0.5, 0.75, 1 }, padded.Forward(Matrix<double>.FromRows([1, 2, 3, 4]), training: false).Span.ToArray());
        Assert.Equal(new double[] { 0.25, 0.5, 0.75, 1 }, padded.Backward(Matrix<double>.FromRows([1, 2, 3, 4])).Span.ToArray());
    }
}
