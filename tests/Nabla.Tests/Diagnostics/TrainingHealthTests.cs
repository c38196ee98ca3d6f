using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers.Activations;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Training.Callbacks;
using Nabla.Training;

namespace Nabla.Tests.Diagnostics;

public class TrainingHealthTests
{
    private static readonly Matrix<double> X = new(4, 2, [1, 0, 0, 1, -1, 0, 0.5, -0.5]);
    private static readonly Matrix<double> Y = new(4, 2, [1, 0, 0, 1, 1, 0, 0, 1]);

    private static Sequential<double> Net(ILayer<double> activation, double[] w0, double[] b0) => new(
        new Linear<double>(new Matrix<double>(2, 2, w0), b0),
        activation,
        new Linear<double>(new Matrix<double>(2, 2, [0.3, -0.2, 0.1, 0.4]), [0.0, 0.0]));

    private static HealthCheck Find(TrainingHealth health, string quantity, string name) =>
        health.Checks.Single(c => c.Quantity == quantity && c.Name == name);

    [Fact]
    public void AReluUnitWithAVeryNegativeBiasIsDeadAndTheOtherIsNot()
    {
        var model = Net(new Relu<double>(), [1, 0, 0, 1], [0, -100]);

        var health = TrainingHealth.Measure(model, new CrossEntropy<double>(), X, Y);

        var dead = Find(health, "dead units", "layer 1 (ReLU)");
        Assert.Equal(0.5, dead.Value);
        Assert.Null(dead.Warning);

        var allDead = TrainingHealth.Measure(Net(new Relu<double>(), [1, 0, 0, 1], [-100, -100]), new CrossEntropy<double>(), X, Y);
        Assert.Equal(1.0, Find(allDead, "dead units", "layer 1 (ReLU)").Value);
        Assert.Contains(allDead.Warnings, w => w.StartsWith("layer 1 (ReLU): more than half of the units", StringComparison.Ordinal));
        // No gradient reaches the first layer through dead units: it has vanished.
        Assert.Equal(0.0, Find(allDead, "gradient norm", "0.weight").Value);
        Assert.Contains(allDead.Warnings, w => w.StartsWith("0.weight: the gradient has vanished", StringComparison.Ordinal));
    }

    [Fact]
    public void HugeWeightsSaturateTanhAndSigmoid()
    {
        var tanh = TrainingHealth.Measure(Net(new Tanh<double>(), [100, 0, 0, 100], [0, 0]), new CrossEntropy<double>(), X, Y);
        // z = 100x: the 5 non-zero inputs of the 8 give |tanh z| > 0.99.
        Assert.Equal(0.625, Find(tanh, "saturated units", "layer 1 (Tanh)").Value);
        Assert.NotNull(Find(tanh, "saturated units", "layer 1 (Tanh)").Warning);

        var sigmoid = TrainingHealth.Measure(Net(new Sigmoid<double>(), [0.1, 0, 0, 0.1], [0, 0]), new CrossEntropy<double>(), X, Y);
        var check = Find(sigmoid, "saturated units", "layer 1 (Sigmoid)");
        Assert.Equal(0.0, check.Value);
        Assert.Null(check.Warning);
    }

    [Fact]
    public void TheUpdateRatioIsTheLastStepsChangeOverTheWeights()
    {
        var model = Net(new Tanh<double>(), [3, 0, 0, 4], [0, 0]);
        var before = model.SnapshotParameters();
        before["0.weight"] = [3, 0, 0, 4.5];  // ‖ΔW‖ = 0.5, ‖W‖ = 5
        before["2.weight"] = [0.3, -0.2, 0.1, 0.4];

        var health = TrainingHealth.Measure(model, new CrossEntropy<double>(), X, Y, before);

        var ratio = Find(health, "update/weight ratio", "0.weight");
        Assert.Equal(0.1, ratio.Value, 12);
        Assert.Contains("learning rate is likely too high", ratio.Warning);
        var still = Find(health, "update/weight ratio", "2.weight");
        Assert.Equal(0.0, still.Value);
        Assert.Contains("barely move", still.Warning);
        Assert.DoesNotContain(health.Checks, c => c.Name.EndsWith("bias", StringComparison.Ordinal));
    }

    [Fact]
    public void MeasuringChangesNoWeightAndLeavesGradientsZero()
    {
        var model = Net(new Relu<double>(), [1, 2, 3, 4], [0.1, 0.2]);
        var before = model.SnapshotParameters();

        var health = TrainingHealth.Measure(model, new CrossEntropy<double>(), X, Y);

        Assert.Equal(before, model.SnapshotParameters());
        Assert.All(model.Parameters, p => Assert.All(p.Gradient.Span.ToArray(), g => Assert.Equal(0.0, g)));
        Assert.True(Find(health, "gradient norm", "0.weight").Value > 0);
        using var json = System.Text.Json.JsonDocument.Parse(health.ToJson());
        Assert.Equal("gradient norm", json.RootElement.GetProperty("checks")[1].GetProperty("quantity").GetString());
    }
    [Fact]
    public void AfterEarlyStoppingTheUpdateRatioIsTheKeptEpochsLastStepNotTheDriftSinceThen()
    {
        var iris = new DatasetCatalog().Load<float>("iris");
        var (train, validation) = Split.TrainValidation(iris, 0.2, 1, stratified: true);
        var scaling = Scaling.Fit(ScalingKind.Standard, train.Features);
        train = train.WithFeatures(scaling.Apply(train.Features.Clone()));
        validation = validation.WithFeatures(scaling.Apply(validation.Features.Clone()));
        var arch = Architecture.Mlp(4, [16], 3, "tanh", "cross-entropy", iris.ClassNames);
        var model = arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(2));
        var loss = arch.CreateLoss<float>();
        // Nothing improves by 10, so epoch 1's weights are put back after five more epochs of drift.
        var stopper = new EarlyStopping<float>(patience: 5, minDelta: 10);
        var updates = new WeightUpdates<float>();
        var history = new Trainer<float>(model, loss, new Sgd<float>(0.05))
            .Fit(train, new TrainingOptions<float> { Epochs = 50, BatchSize = 8, Seed = 3, Validation = validation, Callbacks = [stopper, updates] });
        Assert.Equal(1, history.BestEpoch);

        var kept = TrainingHealth.Measure(model, loss, train.Features, train.Targets, updateRatios: updates.UpdateRatios(1));
        var across = TrainingHealth.Measure(model, loss, train.Features, train.Targets, updates.WeightsBeforeLastStep);

        double Ratio(TrainingHealth h) => h.Checks.Single(c => c.Name == "0.weight" && c.Quantity == "update/weight ratio").Value;
        Assert.Equal(updates.UpdateRatios(1)!["0.weight"], Ratio(kept));
        Assert.True(Ratio(across) > 5 * Ratio(kept), $"across epochs {Ratio(across)}, kept epoch's step {Ratio(kept)}");
        Assert.DoesNotContain(kept.Warnings, w => w.Contains("learning rate is likely too high", StringComparison.Ordinal));
        Assert.Null(updates.UpdateRatios(7));
    }
}
