using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;

namespace Nabla.Tests.Training;

[Collection(ThreadCountCollection.Name)]
public class DivergenceTests
{
    private static (Trainer<double> Trainer, Dataset<double> Data) Setup(double learningRate)
    {
        var data = TrainerTests.NoisyXor<double>(64, seed: 1);
        var arch = Architecture.Mlp(2, [8], 2, "relu", "mse", data.ClassNames);
        var model = arch.Build<double>(GaussianInitializer.HeNormal, new Rng(2));
        return (new Trainer<double>(model, arch.CreateLoss<double>(), new Sgd<double>(learningRate)), data);
    }

    [Fact]
    public void AHugeLearningRateStopsAtTheStepWhereItDiverges()
    {
        var (trainer, data) = Setup(1e30);
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, new TrainingOptions<double> { Epochs = 5, BatchSize = 16 }));
        Assert.InRange(error.Epoch, 1, 5);
        Assert.InRange(error.Batch, 1, 4);
        Assert.Contains($"epoch {error.Epoch}, batch {error.Batch}", error.Message);
        Assert.NotNull(error.History);
        Assert.Matches("^(loss|output of layer \\d \\(\\w+\\)|gradient of \\d\\.\\w+|parameter \\d\\.\\w+)$", error.Failure.ToString());
    }

    [Fact]
    public void ANaNInTheInputIsTracedToTheFirstLayer()
    {
        var (trainer, data) = Setup(0.1);
        data.Features[5, 1] = double.NaN;
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, new TrainingOptions<double> { Epochs = 1 }));
        Assert.Equal(new StepFailure(StepFailureKind.LayerOutput, "layer 0 (Linear)"), error.Failure);
        Assert.Equal("output of layer 0 (Linear)", error.Failure.ToString());
        Assert.Equal((1, 1), (error.Epoch, error.Batch));
    }

    [Fact]
    public void SkipBatchLeavesTheWeightsAndGoesOn()
    {
        var (trainer, data) = Setup(0.1);
        data.Features[5, 1] = double.NaN;
        var history = trainer.Fit(data, new TrainingOptions<double> { Epochs = 3, BatchSize = 16, OnDivergence = DivergencePolicy.SkipBatch });
        Assert.Equal(3, history.SkippedBatches.Count); // the batch holding sample 5, once per epoch
        Assert.Equal(9, history.IterationLoss.Count);
        Assert.All(trainer.Model.Parameters, p => Assert.All(p.Value.Span.ToArray(), v => Assert.True(double.IsFinite(v))));
        Assert.All(history.Epochs, e => Assert.True(double.IsFinite(e.Loss)));
    }

    [Theory]
    [InlineData(DivergencePolicy.Stop)]
    [InlineData(DivergencePolicy.SkipBatch)]
    public void ALossThatGrowsAThousandfoldWhileFiniteIsDivergenceUnderEitherPolicy(DivergencePolicy policy)
    {
        // Full-batch gradient descent on a linear fit with a rate past 2/λ: each step doubles the error, finite for long.
        var rng = new Rng(4);
        var x = new Nabla.Tensors.Matrix<double>(64, 1, [.. Enumerable.Range(0, 64).Select(_ => rng.NextGaussian())]);
        var data = new Dataset<double>(x, new Nabla.Tensors.Matrix<double>(64, 1, [.. x.Span.ToArray().Select(v => 2 * v)]), "line");
        var arch = Architecture.FromLayers(Nabla.Tensors.SampleShape.Features(1), NetworkSpelling.Parse("Linear(1)"), "mse", null);
        var trainer = new Trainer<double>(arch.Build<double>(GaussianInitializer.XavierNormal, new Rng(2)), arch.CreateLoss<double>(), new Sgd<double>(1.5));

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data, new TrainingOptions<double> { Epochs = 100, OnDivergence = policy }));

        Assert.Equal(StepFailureKind.LossGrowth, error.Failure.Kind);
        var epochs = error.History!.Epochs;
        Assert.Equal(error.Epoch, epochs.Count);
        Assert.True(epochs[^1].Loss > StepFailure.MaxLossGrowth * epochs[0].Loss && double.IsFinite(epochs[^1].Loss));
        Assert.True(epochs[^2].Loss <= StepFailure.MaxLossGrowth * epochs[0].Loss, "it stops at the first epoch past the bound");
        Assert.StartsWith($"Training diverged at epoch {error.Epoch}: the training loss grew from ", error.Message);
        Assert.Contains("more than 1000-fold, though it stayed finite.", error.Message);
        Assert.False(error.Failure.CanSkip);
    }

    [Theory]
    [InlineData(1, 119_999, float.NaN, "gradient of 0.weight")]        // in the last part of a split check
    [InlineData(2, 3, float.PositiveInfinity, "gradient of 0.weight")]
    [InlineData(2, 60_000, 3e38f, null)]                                 // finite values whose sums overflow
    public void ALongGradientIsCheckedInPartsWithTheSameAnswer(int threads, int at, float value, string? expected)
    {
        var model = new Nabla.Layers.Sequential<float>(new Nabla.Layers.Linear<float>(400, 300, GaussianInitializer.XavierNormal, new Rng(1)));
        var g = model.Parameters[0].Gradient.Span;
        g[at] = value;
        if (float.IsFinite(value))
            g[at + 1] = g[at + 2] = value;
        int before = Nabla.Tensors.Parallelism.MaxThreads;
        Nabla.Tensors.Parallelism.MaxThreads = threads;
        try
        {
            Assert.Equal(expected, Divergence.FirstNonFiniteGradient(model)?.ToString());
        }
        finally
        {
            Nabla.Tensors.Parallelism.MaxThreads = before;
        }
    }

    [Theory]
    [InlineData(1e20f, "gradient of 0.weight")]   // products of 1e20 and 1e20 overflow: the proof fails, the full check finds it
    [InlineData(1f, null)]                          // proved finite: nothing to find
    public void AWeightGradientTheProductCouldNotProveIsCheckedElementByElement(float scale, string? expected)
    {
        var layer = new Nabla.Layers.Linear<float>(300, 200, GaussianInitializer.HeNormal, new Rng(5));
        var model = new Nabla.Layers.Sequential<float>(layer);
        var x = new Nabla.Tensors.Matrix<float>(64, 300);
        x.Span.Fill(scale);
        var g = new Nabla.Tensors.Matrix<float>(64, 200);
        g.Span.Fill(scale);
        model.ZeroGradients();
        model.Forward(x, true);
        model.BackwardParameters(g);
        Assert.Equal(expected is null, layer.Weight.GradientProvedFinite);
        Assert.Equal(expected, Divergence.FirstNonFiniteGradient(model)?.ToString());
    }
}
