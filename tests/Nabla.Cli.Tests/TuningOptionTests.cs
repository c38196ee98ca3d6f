using System.Globalization;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>The optimizers, schedules, dropout, class weights, monitored metric and fine-tuning of <c>nabla train</c>.</summary>
public class TuningOptionTests
{
    [Theory]
    [InlineData("adamw", "adamw learning rate 0.01")]
    [InlineData("rmsprop", "rmsprop learning rate 0.01")]
    [InlineData("adagrad", "adagrad learning rate 0.01")]
    public void EveryOptimizerTrains(string optimizer, string plan)
    {
        var run = Runner.Run("train", "--optimizer", optimizer, "--learning-rate", "0.01", "--epochs", "3", "--batch-size", "100");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(plan, run.Out);
    }

    [Fact]
    public void TheScheduleAndItsWarmupSetEachEpochsRateInTheHistoryAndTheReport()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("train", "--epochs", "6", "--batch-size", "250", "--lr-schedule", "step(2, 0.5)", "--warmup", "1", "--out", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sgd learning rate 0.2 (step(2, 0.5) after a 1-epoch warmup)", run.Out);
        var rates = File.ReadAllLines(dir.File("history.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[5], CultureInfo.InvariantCulture)).ToList();
        // The first epoch starts its warmup at 1/4 of the rate (one of four steps); then 0.2 halves every 2 epochs.
        Assert.Equal([0.05, 0.2, 0.1, 0.1, 0.05, 0.05], rates);
        Assert.True(File.Exists(dir.File("learning-rate-per-epoch.svg")));
        string report = File.ReadAllText(dir.File("report.html"));
        Assert.Contains("Learning rate per epoch", report);
        Assert.Contains("step(2, 0.5) after a 1-epoch warmup", report);
    }

    [Fact]
    public void DropoutFollowsEveryHiddenActivation()
    {
        var run = Runner.Run("train", "--layers", "8,4", "--dropout", "0.25", "--epochs", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Linear(2 => 8) -> Tanh -> Dropout(p=0.25) -> Linear(8 => 4) -> Tanh -> Dropout(p=0.25) -> Linear(4 => 2)", run.Out);
    }

    [Fact]
    public void BalancedAndNamedClassWeightsTrainAndAreReported()
    {
        using var dir = new TempDirectory();
        var balanced = Runner.Run("train", "--data", "iris", "--layers", "8", "--loss", "cross-entropy", "--class-weight", "balanced", "--test", "0.2",
            "--epochs", "5", "--batch-size", "16", "--out", dir.Path);
        Assert.True(balanced.ExitCode == 0, balanced.ToString());
        Assert.Contains("balanced", File.ReadAllText(dir.File("report.html")));

        var named = Runner.Run("train", "--data", "iris", "--class-weight", "virginica=2, setosa=0.5", "--epochs", "5");
        Assert.True(named.ExitCode == 0, named.ToString());
    }

    [Theory]
    [InlineData("--class-weight", "rose=2", "Class weight for 'rose': expected one of the classes setosa, versicolor, virginica.")]
    [InlineData("--class-weight", "setosa=-1", "--class-weight: 'setosa=-1' is not NAME=WEIGHT with a positive weight")]
    [InlineData("--lr-schedule", "linear", "--lr-schedule linear: Unknown learning-rate schedule 'linear'")]
    [InlineData("--min-delta", "0.01", "--min-delta 0.01 applies to early stopping; add --early-stopping PATIENCE.")]
    [InlineData("--momentum", "0.9", "--momentum applies to --optimizer sgd and rmsprop; adam keeps its own moments.")]
    public void AMisusedOptionIsAUsageErrorThatSaysWhy(string option, string value, string message)
    {
        var run = Runner.Run("train", "--data", "iris", "--optimizer", option == "--momentum" ? "adam" : "sgd", option, value, "--epochs", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
    }

    [Fact]
    public void OptionsThatDoNotGoTogetherAreUsageErrors()
    {
        Assert.Contains("one cycle rises from a low rate by itself", Runner.Run("train", "--lr-schedule", "onecycle", "--warmup", "2").Err);
        Assert.Contains("--nesterov applies to --optimizer sgd", Runner.Run("train", "--optimizer", "rmsprop", "--nesterov").Err);
        var network = Runner.Run("train", "--network", "Linear(4), ReLU, Linear(2)", "--dropout", "0.1");
        Assert.Equal(2, network.ExitCode);
        Assert.Contains("with --network, write Dropout(0.1) where you want it", network.Err);
        var regression = Path.Combine(Path.GetTempPath(), $"nabla-line-{Guid.NewGuid():N}.csv");
        File.WriteAllText(regression, "x,y\n1,2\n2,4\n3,6\n4,8\n");
        try
        {
            var monitor = Runner.Run("train", "--data", regression, "--task", "regression", "--monitor", "val_accuracy", "--epochs", "1");
            Assert.Equal(2, monitor.ExitCode);
            Assert.Contains("--monitor val_accuracy needs class labels", monitor.Err);
        }
        finally
        {
            File.Delete(regression);
        }
    }

    [Fact]
    public void EarlyStoppingOnTheValidationAccuracySaysSo()
    {
        var run = Runner.Run("train", "--data", "iris", "--layers", "3", "--optimizer", "adam", "--learning-rate", "0.001", "--loss", "cross-entropy",
            "--validation", "0.3", "--early-stopping", "2", "--monitor", "val_accuracy", "--min-delta", "0.05", "--epochs", "300", "--batch-size", "16");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("early stopping: no improvement of val_accuracy for 2 epochs", run.Out);
    }

    [Fact]
    public void InitFromStartsFromAModelOfTheSameNetworkOrNamesTheTensorThatDiffers()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Runner.Run("train", "--data", "iris", "--layers", "8", "--loss", "cross-entropy", "--epochs", "30", "--out", dir.File("first")).ExitCode);
        string model = dir.File("first/model.safetensors");

        // Fine-tuning for no step at all (a learning rate too small to move a float32 weight) keeps the weights.
        var same = Runner.Run("train", "--data", "iris", "--layers", "8", "--loss", "cross-entropy", "--epochs", "1", "--learning-rate", "1e-30",
            "--init-from", model, "--out", dir.File("second"));
        Assert.True(same.ExitCode == 0, same.ToString());
        var (before, _) = ModelFile.Load<float>(model);
        var (after, _) = ModelFile.Load<float>(dir.File("second/model.safetensors"));
        Assert.Equal(before.SnapshotParameters()["0.weight"], after.SnapshotParameters()["0.weight"]);

        var other = Runner.Run("train", "--data", "iris", "--layers", "9", "--loss", "cross-entropy", "--epochs", "1", "--init-from", model);
        Assert.Equal(3, other.ExitCode);
        Assert.Contains("its tensor '0.weight' is [8, 4]; the network being trained has '0.weight' [9, 4]", other.Err);
    }
}
