using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

public class BatchNormTests
{
    public static TheoryData<string, int> Shapes => new()
    {
        { "3,4,5", 4 },
        { "2,1,1", 3 },
        { "1,3,2", 2 },
        { "5", 6 },
        { "4", 2 },
        { "3,4", 3 },
    };

    private static BatchNorm<double> Layer(SampleShape shape, ulong seed)
    {
        var layer = new BatchNorm<double>(shape);
        var rng = new Rng(seed);
        for (int c = 0; c < layer.Weight.Value.Length; c++)
        {
            layer.Weight.Value.Span[c] = rng.NextUniform(0.5, 1.5);
            layer.Bias.Value.Span[c] = rng.NextGaussian();
            layer.RunningMean.Values[c] = rng.NextGaussian();
            layer.RunningVar.Values[c] = rng.NextUniform(0.5, 2);
        }
        return layer;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TrainingGradientsMatchFiniteDifferences(string shape, int batch)
    {
        var sample = SampleShape.Parse(shape);
        var result = GradientCheck.Layer(Layer(sample, 1), TestData.Gaussian(batch, sample.Size, seed: 2, stdDev: 2), new Rng(3));
        TestData.AssertPassed(result);
        Assert.Equal(["weight", "bias", "input"], result.Tensors.Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EvaluationGradientsMatchFiniteDifferences(string shape, int batch)
    {
        var sample = SampleShape.Parse(shape);
        TestData.AssertPassed(GradientCheck.Layer(new InEvaluation(Layer(sample, 4)), TestData.Gaussian(batch, sample.Size, seed: 5), new Rng(6)));
    }

    [Fact]
    public void TrainingNormalisesWithTheBatchAndMovesTheRunningStatisticsAsPyTorchDoes()
    {
        // Two channels of 2×1 pixels, three samples: channel 0 holds 1..6, channel 1 holds 10, 20, ..., 60.
        var layer = new BatchNorm<double>(SampleShape.Image(2, 2, 1));
        Assert.Same(BatchNorm2dKind.Instance, layer.Kind);
        var x = Matrix<double>.FromRows([1, 2, 10, 20], [3, 4, 30, 40], [5, 6, 50, 60]);
        var y = layer.Forward(x, training: true);
        // Mean 3.5, biased variance 17.5/6 for channel 0; ×10 and ×100 for channel 1.
        double std0 = Math.Sqrt(17.5 / 6 + 1e-5), std1 = Math.Sqrt(1750.0 / 6 + 1e-5);
        Assert.Equal((1 - 3.5) / std0, y[0, 0], 12);
        Assert.Equal((60 - 35) / std1, y[2, 3], 12);
        // running = 0.9·initial + 0.1·batch, with the unbiased variance (M = 6).
        Assert.Equal(0.35, layer.RunningMean.Values[0], 12);
        Assert.Equal(3.5, layer.RunningMean.Values[1], 12);
        Assert.Equal(0.9 + 0.1 * 17.5 / 5, layer.RunningVar.Values[0], 12);
        Assert.Equal(0.9 + 0.1 * 1750.0 / 5, layer.RunningVar.Values[1], 12);
        Assert.Equal(1, layer.BatchesTracked.Value);

        // Evaluation uses the running statistics and counts nothing.
        var eval = layer.Forward(Matrix<double>.FromRows([1, 2, 10, 20]), training: false);
        Assert.Equal((1 - 0.35) / Math.Sqrt(layer.RunningVar.Values[0] + 1e-5), eval[0, 0], 12);
        Assert.Equal(1, layer.BatchesTracked.Value);
    }

    [Fact]
    public void BatchNorm1dNormalisesEachFeatureOverTheBatch()
    {
        var layer = new BatchNorm<double>(SampleShape.Features(2), epsilon: 0, momentum: 0.5);
        Assert.Same(BatchNorm1dKind.Instance, layer.Kind);
        var y = layer.Forward(Matrix<double>.FromRows([1, 10], [3, 30]), training: true);
        Assert.Equal(new double[] { -1, -1, 1, 1 }, y.Span.ToArray());
        Assert.Equal(new[] { 1.0, 10 }, layer.RunningMean.Values);
        Assert.Equal(new[] { 0.5 + 0.5 * 2, 0.5 + 0.5 * 200 }, layer.RunningVar.Values);
        Assert.Equal(["weight", "bias"], layer.Parameters.Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], layer.Buffers.Select(b => b.Name));
    }

    [Fact]
    public void OneValuePerChannelCannotTrainAsInPyTorch()
    {
        var layer = new BatchNorm<double>(SampleShape.Features(3));
        Assert.Contains("BatchNorm1d(3) needs more than one value per channel in training; received 1 sample of 3",
            Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(1, 3), training: true)).Message);
        Assert.Equal(3, layer.Forward(new Matrix<double>(1, 3), training: false).Cols);
        Assert.Contains("expects 3 values per sample", Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(2, 4), training: false)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm<double>(SampleShape.Features(3), momentum: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm<double>(SampleShape.Features(3), epsilon: -1));
    }

    /// <summary>Runs the wrapped layer in evaluation mode whatever it is asked: the running statistics are then constants.</summary>
    private sealed class InEvaluation(ILayer<double> inner) : ILayer<double>
    {
        public LayerKind Kind => inner.Kind;

        public IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;

        public Matrix<double> Forward(Matrix<double> input, bool training) => inner.Forward(input, training: false);

        public Matrix<double> Backward(Matrix<double> outputGradient) => inner.Backward(outputGradient);
    }
}
