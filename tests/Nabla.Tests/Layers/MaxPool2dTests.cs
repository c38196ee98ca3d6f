using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

public class MaxPool2dTests
{
    /// <summary>Channels, height, width, kernel, stride, padding, batch: overlapping and padded windows too.</summary>
    public static TheoryData<int, int, int, (int, int), (int, int), (int, int), int> Shapes => new()
    {
        { 1, 4, 4, (2, 2), (2, 2), (0, 0), 1 },
        { 3, 7, 6, (2, 2), (2, 2), (0, 0), 2 },
        { 2, 7, 7, (3, 3), (2, 2), (1, 1), 3 },
        { 2, 5, 8, (2, 3), (1, 2), (1, 1), 2 },
        { 1, 6, 5, (3, 2), (3, 1), (0, 1), 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsMatchFiniteDifferences(int c, int h, int w, (int, int) kernel, (int, int) stride, (int, int) padding, int batch)
    {
        // Gaussian inputs: no two values in a window within the finite-difference step of each other.
        var layer = new MaxPool2d<double>(SampleShape.Image(c, h, w), kernel, stride, padding);
        var result = GradientCheck.Layer(layer, TestData.Gaussian(batch, c * h * w, seed: 3), new Rng(4));
        TestData.AssertPassed(result);
        Assert.Equal(["input"], result.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void ForwardTakesEachWindowsLargestValue()
    {
        var layer = new MaxPool2d<double>(SampleShape.Image(1, 4, 4), (2, 2), (2, 2), (0, 0));
        var x = Matrix<double>.FromRows([1, 5, 2, 0, 3, 4, -1, -2, 9, 8, 7, 6, 0, 0, 6, 7]);
        Assert.Equal(new double[] { 5, 2, 9, 7 }, layer.Forward(x, training: false).Span.ToArray());
        // The gradient goes to each window's argmax only; the last window's two 7s tie, and the first takes it.
        var dx = layer.Backward(Matrix<double>.FromRows([10, 20, 30, 40]));
        Assert.Equal(new double[] { 0, 10, 20, 0, 0, 0, 0, 0, 30, 0, 40, 0, 0, 0, 0, 0 }, dx.Span.ToArray());
    }

    [Fact]
    public void PaddingIsNeverTheMaximumAndTiesGoToTheFirstAsInPyTorch()
    {
        // All inputs negative, padded by 1: the padding (which PyTorch treats as −∞) never wins.
        var layer = new MaxPool2d<double>(SampleShape.Image(1, 2, 2), (2, 2), (2, 2), (1, 1));
        var y = layer.Forward(Matrix<double>.FromRows([-1, -2, -3, -4]), training: false);
        Assert.Equal(new double[] { -1, -2, -3, -4 }, y.Span.ToArray());

        var ties = new MaxPool2d<double>(SampleShape.Image(1, 2, 2), (2, 2), (2, 2), (0, 0));
        ties.Forward(Matrix<double>.FromRows([3, 3, 3, 3]), training: true);
        Assert.Equal(new double[] { 1, 0, 0, 0 }, ties.Backward(Matrix<double>.FromRows([1])).Span.ToArray());

        // Overlapping windows that share an argmax add their gradients there.
        var overlap = new MaxPool2d<double>(SampleShape.Image(1, 1, 3), (1, 2), (1, 1), (0, 0));
        overlap.Forward(Matrix<double>.FromRows([0, 5, 1]), training: true);
        Assert.Equal(new double[] { 0, 3, 0 }, overlap.Backward(Matrix<double>.FromRows([1, 2])).Span.ToArray());
    }

    [Fact]
    public void NaNPropagatesAsInPyTorch()
    {
        var layer = new MaxPool2d<double>(SampleShape.Image(1, 2, 2), (2, 2), (2, 2), (0, 0));
        Assert.True(double.IsNaN(layer.Forward(Matrix<double>.FromRows([1, double.NaN, 7, 2]), training: false)[0, 0]));
    }

    [Theory]
    [InlineData(2, 8, 8)]
    [InlineData(3, 14, 14)]
    [InlineData(1, 9, 28)]
    [InlineData(2, 5, 9)]
    [InlineData(1, 4, 2)]
    public void FloatLanesPickTheSameValuesAndIndicesAsTheScalarLoop(int c, int h, int w)
    {
        // Few distinct values, so most windows tie, and a few NaNs: the 2×2 float path runs in vector lanes, the double one in scalar code.
        var shape = SampleShape.Image(c, h, w);
        var rng = new Rng((ulong)(c * 100 + h * 10 + w));
        var x = new Matrix<double>(3, shape.Size);
        for (int i = 0; i < x.Length; i++)
            x.Span[i] = rng.NextDouble() < 0.03 ? double.NaN : rng.NextInt(4);
        var scalar = new MaxPool2d<double>(shape, (2, 2), (2, 2), (0, 0));
        var lanes = new MaxPool2d<float>(shape, (2, 2), (2, 2), (0, 0));
        var expected = scalar.Forward(x, training: true);
        var actual = lanes.Forward(x.Convert<float>(), training: true);
        Assert.Equal(expected.Span.ToArray(), actual.Convert<double>().Span.ToArray());
        // The gradient lands on each window's argmax: the same pixels.
        var g = TestData.Gaussian(3, expected.Cols, seed: 1).Convert<float>().Convert<double>();
        Assert.Equal(scalar.Backward(g).Span.ToArray(), lanes.Backward(g.Convert<float>()).Convert<double>().Span.ToArray());
    }

    [Fact]
    public void MistakesSayWhatWasExpected()
    {
        Assert.Contains("at most half the kernel",
            Assert.Throws<ArgumentException>(() => new MaxPool2d<double>(SampleShape.Image(1, 6, 6), (2, 2), (2, 2), (2, 0))).Message);
        var layer = new MaxPool2d<double>(SampleShape.Image(2, 4, 4), (2, 2), (2, 2), (0, 0));
        Assert.Contains("expects 32 values per sample (2×4×4); received 16",
            Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(1, 16), false)).Message);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<double>(1, 8)));
    }
}
