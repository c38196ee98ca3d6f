using Nabla.Data;
using Nabla.Init;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Tests.Models;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Training.Callbacks;

public class LayerDistributionsTests
{
    [Fact]
    public void AValueDistributionCountsExtremesMomentsAndBinsTheFiniteValues()
    {
        float[] values = [1, 2, 3, 4, float.NaN, float.PositiveInfinity];

        var d = ValueDistribution.Of<float>("t", "weight", 0, values, bins: 3);

        Assert.Equal((4L, 1.0, 4.0, 2.5, 2L), (d.Count, d.Min, d.Max, d.Mean, d.NonFinite));
        Assert.Equal(Math.Sqrt(1.25), d.StandardDeviation, 12);
        // Bins of width 1 from 1: [1, 2), [2, 3), [3, 4] (the last holds the maximum).
        Assert.Equal([1L, 1, 2], d.Histogram);
        Assert.Equal(1.0, d.BinWidth);
    }

    [Fact]
    public void EqualValuesFillOneBinAndNoValuesGiveNaN()
    {
        var zeros = ValueDistribution.Of<double>("b", "bias", 0, new double[5], bins: 4);
        var none = ValueDistribution.Of<double>("b", "bias", 0, [double.NaN], bins: 4);

        Assert.Equal([5L, 0, 0, 0], zeros.Histogram);
        Assert.Equal(0, zeros.BinWidth);
        Assert.True(double.IsNaN(none.Min) && double.IsNaN(none.Mean));
        Assert.Equal(1, none.NonFinite);
    }

    private static (Trainer<float> Trainer, Dataset<float> Data) Setup()
    {
        var architecture = CnnArchitectureTests.Network("Conv2d(3, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(8), Tanh, Dropout(0.2), Linear(3)",
            SampleShape.Image(1, 6, 6), classes: ["a", "b", "c"]);
        var features = TestData.Gaussian(40, 36, seed: 5).Convert<float>();
        var data = new Dataset<float>(features, [.. Enumerable.Range(0, 40).Select(i => i % 3)], ["a", "b", "c"], "random") { SampleShape = SampleShape.Image(1, 6, 6) };
        var trainer = new Trainer<float>(architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(3)), architecture.CreateLoss<float>(), new Adam<float>(1e-2));
        return (trainer, data);
    }

    [Fact]
    public void SnapshotsComeBeforeTheFirstStepAndEveryNStepsWithEachLayersTensors()
    {
        var (trainer, data) = Setup();
        var distributions = new LayerDistributions<float>(data.Features, everySteps: 2);

        trainer.Fit(data, new TrainingOptions<float> { Epochs = 2, BatchSize = 16, Callbacks = [distributions] });

        // 3 steps an epoch, 6 in all.
        Assert.Equal([0, 2, 4, 6], distributions.Snapshots.Select(s => s.Step));
        Assert.Equal([0, 1, 2, 2], distributions.Snapshots.Select(s => s.Epoch));
        var last = distributions.Snapshots[^1].Values;
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "5.weight", "5.bias", "8.weight", "8.bias", "0 Conv2d", "1 ReLU", "5 Linear", "6 Tanh", "8 Linear"], last.Select(v => v.Name));
        Assert.Equal(["weight", "bias", "scale", "shift", "weight", "bias", "weight", "bias", "net input", "activation", "net input", "activation", "net input"], last.Select(v => v.Quantity));
        var weight = trainer.Model.Layers[0].Parameters[0].Value.Span.ToArray();
        Assert.Equal(weight.Min(), last[0].Min);
        Assert.Equal(weight.Length, last[0].Count);
        // The ReLU's outputs on the 40 probe images: 3 channels of 6×6 each.
        Assert.Equal(40 * 3 * 36, last[9].Count);
        Assert.True(last[9].Min >= 0);
        // Square-root bins: 27 weights make 5, the probe's activations the configured 40.
        Assert.Equal(5, last[0].Histogram.Count);
        Assert.Equal(LayerDistributions<float>.DefaultBins, last[9].Histogram.Count);
    }

    [Fact]
    public void AfterEachEpochWithoutAStepCount()
    {
        var (trainer, data) = Setup();
        var distributions = new LayerDistributions<float>(data.Features);

        trainer.Fit(data, new TrainingOptions<float> { Epochs = 3, BatchSize = 16, Callbacks = [distributions] });

        Assert.Equal([0, 1, 2, 3], distributions.Snapshots.Select(s => s.Epoch));
        Assert.Equal([0, 3, 6, 9], distributions.Snapshots.Select(s => s.Step));
    }

    [Fact]
    public void RecordingChangesNoBitOfTraining()
    {
        var (plain, data) = Setup();
        var (watched, _) = Setup();
        var step = new StepEvaluation<float>(data, watched.Loss, everySteps: 1);

        plain.Fit(data, new TrainingOptions<float> { Epochs = 3, BatchSize = 16, Seed = 7 });
        watched.Fit(data, new TrainingOptions<float> { Epochs = 3, BatchSize = 16, Seed = 7, Callbacks = [new LayerDistributions<float>(data.Features, everySteps: 1), step] });

        var (a, b) = (plain.Model.SnapshotParameters(), watched.Model.SnapshotParameters());
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, p => Assert.Equal(p.Value, b[p.Key]));
        Assert.Equal(Enumerable.Range(0, 10), step.Steps);
        Assert.Equal(Evaluation.Run(watched.Model, watched.Loss, data).Accuracy!.Value, step.Accuracy[^1]);
    }

    [Fact]
    public void BadArgumentsSayWhatWasExpected()
    {
        var probe = new Matrix<float>(2, 3);
        Assert.Contains("at least one sample", Assert.Throws<ArgumentException>(() => new LayerDistributions<float>(new Matrix<float>(0, 3))).Message);
        Assert.Contains("every 1 or more steps; received 0", Assert.Throws<ArgumentException>(() => new LayerDistributions<float>(probe, everySteps: 0)).Message);
        Assert.Contains("at least 1 histogram bin", Assert.Throws<ArgumentException>(() => new LayerDistributions<float>(probe, bins: 0)).Message);
    }
}
