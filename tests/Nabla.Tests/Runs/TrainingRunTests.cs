using Nabla.Data;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Runs;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Serialization;
using Nabla.Training;

namespace Nabla.Tests.Runs;

public class TrainingRunTests
{
    private static TrainingRunOptions Iris(int epochs = 3) => new()
    {
        Train = new DatasetCatalog().Load<float>("iris"),
        Network = NetworkSpelling.Parse("Linear(6), Tanh, Linear(3)"),
        Loss = "cross-entropy",
        Optimizer = () => new Sgd<float>(0.1, momentum: 0.9),
        Epochs = epochs,
        BatchSize = 16,
        Seed = 5,
    };

    [Fact]
    public void TheTestSetIsHeldOutFirstWithASaltedSeedThenTheValidationSetWithTheSeed()
    {
        var options = Iris() with { TestFraction = 0.2, ValidationFraction = 0.25 };
        var (rest, test) = Split.TrainValidation(options.Train, 0.2, 5 ^ TrainingRun.TestSplitSalt, stratified: true);
        var (train, validation) = Split.TrainValidation(rest, 0.25, 5, stratified: true);

        var run = new TrainingRun(options);

        Assert.Equal(test.Features.Span.ToArray(), run.Test!.Features.Span.ToArray());
        Assert.Equal(validation.Features.Span.ToArray(), run.Validation!.Features.Span.ToArray());
        Assert.Equal(train.Labels, run.Train.Labels);
    }

    [Fact]
    public void ScalingIsFittedOnTheTrainingSplitStoredInTheArchitectureAndAppliedToEverySplit()
    {
        var run = new TrainingRun(Iris() with { TestFraction = 0.2, Scaling = ScalingKind.Standard });
        var (train, test) = Split.TrainValidation(run.Options.Train, 0.2, 5 ^ TrainingRun.TestSplitSalt, stratified: true);
        var scaling = Scaling.Fit(ScalingKind.Standard, train.Features);

        Assert.Equal(scaling.Offset, run.Architecture.Scaling!.Offset);
        Assert.Equal(scaling.Apply(test.Features.Clone()).Span.ToArray(), run.Test!.Features.Span.ToArray());
        Assert.Equal(4, run.Architecture.Inputs);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], run.Architecture.FeatureNames);
    }

    [Fact]
    public void ContradictoryOptionsAreRejectedBeforeAnythingRuns()
    {
        var iris = Iris();
        Assert.Contains("test set or a test fraction", Assert.Throws<ArgumentException>(() => new TrainingRun(iris with { Test = iris.Train, TestFraction = 0.2 })).Message);
        Assert.Contains("validation set or a validation fraction", Assert.Throws<ArgumentException>(() => new TrainingRun(iris with { Validation = iris.Train, ValidationFraction = 0.2 })).Message);
        Assert.Contains("need an output directory", Assert.Throws<ArgumentException>(() => new TrainingRun(iris with { CheckpointEvery = 2 })).Message);
    }

    [Fact]
    public void ANetworkThatDoesNotFitTheDataNamesTheLayerAndTheShapeItReceived()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainingRun(Iris() with { Network = NetworkSpelling.Parse("Linear(2, 6), Tanh, Linear(3)") }));

        Assert.Contains("Layer 0: Linear(2, 6) takes 2 input features; received 4", e.Message);
    }

    [Fact]
    public void WithAnOutputDirectoryItWritesTheModelHistoryHealthAndReport()
    {
        using var dir = new TempDirectory();
        var result = new TrainingRun(Iris() with { TestFraction = 0.2, OutputDirectory = dir.Path }).Run();

        var files = result.Files!;
        Assert.Equal(Path.Combine(dir.Path, ModelFile.FileName), files.Model);
        Assert.Equal(History.CsvHeader, File.ReadLines(files.History).First());
        Assert.Contains("\"checks\"", File.ReadAllText(files.Health!));
        Assert.Equal("report.html", Path.GetFileName(files.Report[^1]));
        Assert.Equal(["train", "test"], result.Splits.Select(s => s.Split));
        Assert.NotNull(result.TestCurve);
        Assert.Equal(3, result.TestCurve.Loss.Count);
        var (model, architecture) = ModelFile.Load<float>(files.Model);
        Assert.Equal(result.Architecture.ToJson(), architecture.ToJson());
        Assert.Equal(result.Model.Parameters[0].Value.Span.ToArray(), model.Parameters[0].Value.Span.ToArray());
    }

    [Fact]
    public void WithoutAnOutputDirectoryItWritesNothingAndRecordsNoCurves()
    {
        var result = new TrainingRun(Iris() with { TestFraction = 0.2 }).Run();

        Assert.Null(result.Files);
        Assert.Null(result.TestCurve);
        Assert.Empty(result.History.ParameterValues);
        Assert.NotNull(result.Health);
    }

    [Fact]
    public void AnInterruptedRunSavesACheckpointAndIsResumedNotFinished()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var run = new TrainingRun(Iris(epochs: 5) with { OutputDirectory = dir.Path, Interrupt = cancel.Token, Callbacks = [new CancelAfterEpoch(2, cancel)] });

        Assert.Throws<OperationCanceledException>(run.Run);

        Assert.True(run.Interrupted);
        Assert.Throws<InvalidOperationException>(run.Finish);
        Assert.Equal(2, CheckpointFile.Load(run.Checkpoints!.Path).State.CompletedEpochs);
        Assert.False(File.Exists(Path.Combine(dir.Path, ModelFile.FileName)));
    }

    [Fact]
    public void ResumingWithAnotherNetworkIsAnInputErrorNamingTheCheckpoint()
    {
        using var dir = new TempDirectory();
        new TrainingRun(Iris() with { OutputDirectory = dir.Path, CheckpointEvery = 1 }).Run();
        var resume = ResumePoint.Load(dir.Path);

        var e = Assert.Throws<NablaInputException>(() => new TrainingRun(Iris(epochs: 6) with { Network = NetworkSpelling.Parse("Linear(7), Tanh, Linear(3)"), Resume = resume }));

        Assert.StartsWith(Path.Combine(dir.Path, CheckpointFile.FileName) + ": the run's settings and data now give the network", e.Message);
    }

    [Fact]
    public void APlateauSchedulesStateGoesIntoTheCheckpointSoTheResumedRunEndsBitIdentical()
    {
        using var straightDir = new TempDirectory();
        using var dir = new TempDirectory();
        // Patience 0 and a demanding threshold lower the rate often, so a lost state would show.
        TrainingRunOptions Options(string output) => Iris(epochs: 8) with
        {
            OutputDirectory = output,
            ValidationFraction = 0.2,
            Schedule = new PlateauSchedule(factor: 0.5, patience: 0, threshold: 0.05),
        };
        var straight = new TrainingRun(Options(straightDir.Path)).Run();
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(new TrainingRun(Options(dir.Path) with { Interrupt = cancel.Token, Callbacks = [new CancelAfterEpoch(4, cancel)] }).Run);
        var saved = CheckpointFile.Load(Path.Combine(dir.Path, CheckpointFile.FileName));
        Assert.Equal(["best", "cooldown_counter", "num_bad_epochs", "rate"], saved.Schedule!.Keys.Order());

        var resumed = new TrainingRun(Options(dir.Path) with { Resume = ResumePoint.Load(dir.Path) }).Run();

        Assert.True(straight.History.Epochs.Select(e => e.LearningRate).Distinct().Count() > 2, "the rate should have been lowered more than once");
        Assert.Equal(straight.History.Epochs.Select(e => e.LearningRate), resumed.History.Epochs.Select(e => e.LearningRate));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straightDir.Path, ModelFile.FileName)), File.ReadAllBytes(Path.Combine(dir.Path, ModelFile.FileName)));
    }

    [Fact]
    public void BalancedClassWeightsComeFromTheTrainingSplitAndMonitoringAnAccuracyNeedsClasses()
    {
        var iris = Iris();
        IReadOnlyList<double>? seen = null;
        var run = new TrainingRun(iris with { TestFraction = 0.3, ClassWeights = train => seen = ClassWeights.Balanced(train.Labels!, 3) });

        Assert.Equal(ClassWeights.Balanced(run.Train.Labels!, 3), seen);
        Assert.Equal(seen, ((CrossEntropy<float>)run.Trainer.Loss).Weights);
        var regression = new Dataset<float>(iris.Train.Features, new Matrix<float>(150, 1), "iris-as-numbers");
        Assert.Contains("needs class labels", Assert.Throws<ArgumentException>(() =>
            new TrainingRun(iris with { Train = regression, Loss = "mse", Network = NetworkSpelling.Parse("Linear(1)"), Monitor = MonitoredMetric.ValidationAccuracy })).Message);
        Assert.Contains("Class weights need class labels", Assert.Throws<ArgumentException>(() =>
            new TrainingRun(iris with { Train = regression, Loss = "mse", Network = NetworkSpelling.Parse("Linear(1)"), ClassWeights = _ => [1.0] })).Message);
    }

    [Fact]
    public void InitializeFromCopiesAModelsWeightsOrNamesTheFirstTensorThatDiffers()
    {
        using var dir = new TempDirectory();
        var trained = new TrainingRun(Iris() with { OutputDirectory = dir.Path }).Run();
        string model = Path.Combine(dir.Path, ModelFile.FileName);

        var fineTuned = new TrainingRun(Iris() with { InitializeFrom = model, Seed = 99 });

        Assert.Equal(trained.Model.SnapshotParameters()["2.weight"], fineTuned.Model.SnapshotParameters()["2.weight"]);
        var e = Assert.Throws<NablaInputException>(() => new TrainingRun(Iris() with { InitializeFrom = model, Network = NetworkSpelling.Parse("Linear(7), Tanh, Linear(3)") }));
        Assert.Equal($"{model}: cannot start from this model: its tensor '0.weight' is [6, 4]; the network being trained has '0.weight' [7, 4]; expected a model of the same network (layers, sizes and classes).", e.Message);
        var deeper = Assert.Throws<NablaInputException>(() => new TrainingRun(Iris() with { InitializeFrom = model, Network = NetworkSpelling.Parse("Linear(6), Tanh, Linear(3), Tanh, Linear(3)") }));
        Assert.Contains("it has no tensor '4.weight' [3, 3], which the network being trained has", deeper.Message);
    }

    [Fact]
    public void TheModelRecordsWhatItHeldOutOfWhichData()
    {
        var run = new TrainingRun(Iris() with { TestFraction = 0.2, ValidationFraction = 0.1 });

        var held = run.Architecture.HeldOut!;
        Assert.Equal((5UL, 0.1, 0.2, 150), (held.Seed, held.ValidationFraction!.Value, held.TestFraction!.Value, held.Rows));
        Assert.True(held.Matches(new DatasetCatalog().Load<float>("iris")));
        Assert.Equal(run.Test!.Count, held.Apply(run.Options.Train).Test!.Count);
        Assert.Equal("species", run.Architecture.Target);
        Assert.Null(new TrainingRun(Iris()).Architecture.HeldOut);
    }

    [Fact]
    public void ARegressionRunTrainsOnScaledTargetsAndMeasuresInTheDataUnits()
    {
        // y = 1000 + 200·x: far from the unit scale the network starts at.
        var x = new Matrix<float>(200, 1, [.. Enumerable.Range(0, 200).Select(i => i / 100f - 1)]);
        var y = new Matrix<float>(200, 1, [.. x.Span.ToArray().Select(v => 1000 + 200 * v)]);
        var options = new TrainingRunOptions
        {
            Train = new Dataset<float>(x, y, "line"),
            Network = NetworkSpelling.Parse("Linear(1)"),
            Loss = "mse",
            Optimizer = () => new Sgd<float>(0.1),
            Epochs = 200,
            TestFraction = 0.25,
            TargetScaling = ScalingKind.Standard,
        };

        var result = new TrainingRun(options).Run();

        var scaling = result.Architecture.TargetScaling!;
        Assert.Equal(1, scaling.FeatureCount);
        Assert.InRange(scaling.Offset[0], 900, 1100);
        var outputs = ModelInputs.Unscale(result.Model.Forward(result.Test!.Features, training: false).Clone(), result.Architecture);
        var raw = options.Train.Subset([.. Enumerable.Range(0, 200)]); // the test rows' raw targets: those the hold-out took
        var (_, _, rawTest) = result.Architecture.HeldOut!.Apply(raw);
        Assert.Equal(Metrics.Regression(outputs, rawTest!.Targets), result.OnTest!.Regression);
        Assert.True(result.OnTest.Regression!.RSquared > 0.999, $"R² {result.OnTest.Regression.RSquared}");
        Assert.True(result.OnTest.Regression.MeanAbsoluteError < 5, $"MAE {result.OnTest.Regression.MeanAbsoluteError}");
        Assert.Contains("Target scaling applies to regression", Assert.Throws<ArgumentException>(() => new TrainingRun(Iris() with { TargetScaling = ScalingKind.Standard })).Message);
    }

    private sealed class CancelAfterEpoch(int epoch, CancellationTokenSource cancel) : ITrainingCallback<float>
    {
        public void OnEpochEnd(TrainingContext<float> context)
        {
            if (context.History.Last.Epoch == epoch)
                cancel.Cancel();
        }
    }
}
