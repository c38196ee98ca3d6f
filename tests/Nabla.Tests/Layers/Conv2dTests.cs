using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

[Collection(ThreadCountCollection.Name)]
public class Conv2dTests
{
    /// <summary>Channels, height, width, filters, kernel, stride, padding, batch: odd shapes on purpose.</summary>
    public static TheoryData<int, int, int, int, (int, int), (int, int), (int, int), int> Shapes => new()
    {
        { 1, 5, 5, 1, (3, 3), (1, 1), (0, 0), 1 },
        { 1, 6, 6, 4, (3, 3), (1, 1), (1, 1), 3 },
        { 3, 7, 6, 2, (3, 2), (2, 2), (1, 0), 2 },
        { 2, 8, 5, 3, (1, 3), (2, 1), (0, 2), 2 },
        { 4, 5, 7, 5, (5, 5), (1, 3), (2, 2), 5 },
        { 2, 4, 4, 3, (4, 4), (3, 3), (1, 1), 1 },
        { 2, 7, 5, 3, (3, 5), (1, 1), (2, 2), 2 },
        { 3, 6, 8, 2, (1, 3), (1, 1), (0, 1), 3 },
        { 2, 6, 6, 3, (5, 5), (1, 1), (2, 2), 4 },
    };

    private static Conv2d<double> Layer(int c, int h, int w, int filters, (int, int) kernel, (int, int) stride, (int, int) padding, bool bias = true)
    {
        var layer = new Conv2d<double>(SampleShape.Image(c, h, w), filters, kernel, stride, padding, bias, GaussianInitializer.XavierNormal, new Rng(3));
        if (layer.Bias is { } b)
            for (int i = 0; i < b.Value.Length; i++)
                b.Value.Span[i] = 0.1 * i - 0.15;
        return layer;
    }

    /// <summary>The definition, one output at a time: <c>y[o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[c, oh·s − p + i, ow·s − p + j]</c>.</summary>
    private static double[] Reference(Conv2d<double> layer, Matrix<double> x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        var input = layer.InputShape;
        var output = layer.OutputShape;
        var w = layer.Weight.Value;
        var y = new double[x.Rows * output.Size];
        for (int n = 0; n < x.Rows; n++)
            for (int o = 0; o < output.Channels; o++)
                for (int oh = 0; oh < output.Height; oh++)
                    for (int ow = 0; ow < output.Width; ow++)
                    {
                        double sum = layer.Bias?.Value[0, o] ?? 0;
                        for (int c = 0; c < input.Channels; c++)
                            for (int i = 0; i < kernel.H; i++)
                                for (int j = 0; j < kernel.W; j++)
                                {
                                    int ih = oh * stride.H - padding.H + i, iw = ow * stride.W - padding.W + j;
                                    if (ih >= 0 && ih < input.Height && iw >= 0 && iw < input.Width)
                                        sum += w[o, (c * kernel.H + i) * kernel.W + j] * x[n, (c * input.Height + ih) * input.Width + iw];
                                }
                        y[n * output.Size + (o * output.Height + oh) * output.Width + ow] = sum;
                    }
        return y;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesTheDefinition(int c, int h, int w, int filters, (int, int) kernel, (int, int) stride, (int, int) padding, int batch)
    {
        var layer = Layer(c, h, w, filters, kernel, stride, padding);
        var x = TestData.Gaussian(batch, c * h * w, seed: 5);
        var y = layer.Forward(x, training: false);
        var expected = Reference(layer, x, kernel, stride, padding);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], y.Span[i], 1e-12);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsMatchFiniteDifferences(int c, int h, int w, int filters, (int, int) kernel, (int, int) stride, (int, int) padding, int batch)
    {
        var result = GradientCheck.Layer(Layer(c, h, w, filters, kernel, stride, padding), TestData.Gaussian(batch, c * h * w, seed: 7), new Rng(5));
        TestData.AssertPassed(result);
        Assert.Equal(["weight", "bias", "input"], result.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void AnInitializerThatDrawsBiasesDrawsThemRightAfterTheWeightsWithTheConvolutionsFans()
    {
        var layer = new Conv2d<double>(SampleShape.Image(3, 6, 6), 4, (3, 3), (1, 1), (1, 1), true, UniformInitializer.XavierUniformBias, new Rng(9));

        var rng = new Rng(9);
        UniformInitializer.XavierUniform.Fill(new Matrix<double>(4, 27), fanIn: 27, fanOut: 36, rng);
        var expected = new double[4];
        UniformInitializer.XavierUniformBias.FillBias<double>(expected, 27, 36, rng);
        Assert.Equal(expected, layer.Parameters[1].Value.Span.ToArray());
        Assert.All(expected, b => Assert.InRange(Math.Abs(b), 1e-12, UniformInitializer.Limit(27, 36)));
    }

    [Fact]
    public void WithoutBiasOnlyTheWeightIsTrained()
    {
        var layer = Layer(2, 5, 5, 3, (3, 3), (1, 1), (1, 1), bias: false);
        Assert.Null(layer.Bias);
        Assert.Equal([3L, 2, 3, 3], layer.Weight.FileShape);
        var result = GradientCheck.Layer(layer, TestData.Gaussian(2, 50, seed: 1), new Rng(2));
        TestData.AssertPassed(result);
        Assert.Equal(["weight", "input"], result.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void BackwardParametersGivesTheSameGradientsWithoutTheInputGradient()
    {
        var layer = Layer(3, 9, 8, 4, (3, 3), (2, 1), (1, 1));
        var x = TestData.Gaussian(6, 3 * 9 * 8, seed: 2);
        var g = TestData.Gaussian(6, layer.OutputShape.Size, seed: 3);
        layer.Forward(x, training: true);
        layer.Backward(g);
        var full = layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        foreach (var p in layer.Parameters)
            p.ZeroGradient();
        layer.BackwardParameters(g);
        Assert.Equal(full, layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray());
    }

    [Fact]
    public void GradientsAccumulateUntilZeroed()
    {
        var layer = Layer(2, 6, 5, 3, (3, 3), (1, 1), (1, 1));
        var x = TestData.Gaussian(7, 60, seed: 2);
        var g = TestData.Gaussian(7, layer.OutputShape.Size, seed: 3);
        layer.Forward(x, training: true);
        layer.Backward(g);
        var once = layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        layer.Backward(g);
        for (int i = 0; i < once.Length; i++)
            Assert.Equal(once[i].Select(v => 2 * v), layer.Parameters[i].Gradient.Span.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        foreach (var p in layer.Parameters)
            p.ZeroGradient();
        layer.Backward(g);
        Assert.Equal(once, layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray());
        // An empty batch adds nothing (and stores zeros over a zeroed gradient).
        layer.Forward(new Matrix<double>(0, 60), training: true);
        layer.Backward(new Matrix<double>(0, layer.OutputShape.Size));
        Assert.Equal(once, layer.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray());
    }

    [Fact]
    public void ForwardByHand()
    {
        // One 3×3 image, one 2×2 filter, stride 1, no padding: each output is the window's weighted sum plus the bias.
        var layer = new Conv2d<double>(SampleShape.Image(1, 3, 3), Matrix<double>.FromRows([1, 2, 3, 4]), [10.0], (2, 2), (1, 1), (0, 0));
        var y = layer.Forward(Matrix<double>.FromRows([1, 2, 3, 4, 5, 6, 7, 8, 9]), training: false);
        // [1 2; 4 5]·[1 2; 3 4] = 1 + 4 + 12 + 20 = 37, and so on.
        Assert.Equal(new double[] { 47, 57, 77, 87 }, y.Span.ToArray());
        Assert.Equal(SampleShape.Image(1, 2, 2), layer.OutputShape);
    }

    [Fact]
    public void TheInitializerSeesPyTorchsFans()
    {
        // Xavier's σ = √(2 / (fan_in + fan_out)) with fan_in = 3·5·5 = 75 and fan_out = 8·5·5 = 200, not the matrix's 75 and 8.
        var layer = new Conv2d<double>(SampleShape.Image(3, 10, 10), 8, (5, 5), (1, 1), (0, 0), true, GaussianInitializer.XavierNormal, new Rng(1));
        var fans = new Matrix<double>(8, 75);
        GaussianInitializer.XavierNormal.Fill(fans, fanIn: 75, fanOut: 200, new Rng(1));
        Assert.Equal(fans.Span.ToArray(), layer.Weight.Value.Span.ToArray());
        double variance = layer.Weight.Value.Span.ToArray().Select(v => v * v).Average();
        Assert.InRange(variance, 2.0 / 275 * 0.8, 2.0 / 275 * 1.2);
    }

    [Fact]
    public void MistakesSayWhatWasExpected()
    {
        Assert.Contains("Expected a weight of [out, 18] (2 channels × 3×3); received 4x9",
            Assert.Throws<ArgumentException>(() => new Conv2d<double>(SampleShape.Image(2, 5, 5), new Matrix<double>(4, 9), null, (3, 3), (1, 1), (0, 0))).Message);
        Assert.Contains("Expected 4 bias values",
            Assert.Throws<ArgumentException>(() => new Conv2d<double>(SampleShape.Image(1, 5, 5), new Matrix<double>(4, 9), [1.0], (3, 3), (1, 1), (0, 0))).Message);
        Assert.Contains("does not fit a 1×2×2 input",
            Assert.Throws<ArgumentException>(() => new Conv2d<double>(SampleShape.Image(1, 2, 2), new Matrix<double>(1, 9), null, (3, 3), (1, 1), (0, 0))).Message);
        var layer = Layer(1, 5, 5, 2, (3, 3), (1, 1), (0, 0));
        Assert.Contains("expects 25 values per sample (1×5×5); received 24",
            Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(2, 24), false)).Message);
        Assert.Throws<InvalidOperationException>(() => Layer(1, 5, 5, 2, (3, 3), (1, 1), (0, 0)).Backward(new Matrix<double>(1, 18)));
    }

    [Theory]
    [InlineData(3, 20, 18, 16, 13)] // eight runs of samples, each product on one thread
    [InlineData(8, 24, 24, 32, 1)] // one sample: the products split themselves
    public void ThreadCountDoesNotChangeTheBits(int channels, int height, int width, int filters, int rows)
    {
        var shape = SampleShape.Image(channels, height, width);
        var x = TestData.Gaussian(rows, shape.Size, seed: 4).Convert<float>();
        float[][] Run(int threads)
        {
            int before = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var layer = new Conv2d<float>(shape, filters, (5, 5), (1, 1), (2, 2), true, GaussianInitializer.HeNormal, new Rng(8));
                var y = layer.Forward(x, training: true).Clone();
                var g = TestData.Gaussian(rows, layer.OutputShape.Size, seed: 6).Convert<float>();
                var dx = layer.Backward(g);
                return [y.Span.ToArray(), dx.Span.ToArray(), layer.Weight.Gradient.Span.ToArray(), layer.Bias!.Gradient.Span.ToArray()];
            }
            finally
            {
                Parallelism.MaxThreads = before;
            }
        }
        Assert.Equal(Run(1), Run(2));
    }
}
