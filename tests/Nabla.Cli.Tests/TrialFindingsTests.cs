using System.Text.Json;

namespace Nabla.Cli.Tests;

/// <summary>What trying the CLI as a new user found (issue 14), each fixed.</summary>
public class TrialFindingsTests
{
    [Fact]
    public void AnEmptyLayerSizeBetweenCommasIsAUsageError()
    {
        var run = Runner.Run("train", "--hidden_layers", "256,,64");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Invalid layer sizes '256,,64' for --hidden_layers: a size is missing between commas.", run.Err);
        Assert.Equal(2, Runner.Run("train", "--layers", "[8,]").ExitCode);
    }

    [Fact]
    public void BatchSizeFullTrainsTheFullBatch()
    {
        var run = Runner.Run("train", "--batch-size", "full", "--epochs", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("full batch, 2 epochs", run.Out);
    }

    [Fact]
    public void ALossThatGrowsAThousandfoldIsDivergenceWithExitCode4()
    {
        using var dir = new TempDirectory();
        var rng = new Random(2);
        File.WriteAllLines(dir.File("line.csv"), ["x,y", .. Enumerable.Range(0, 64).Select(_ => rng.NextDouble() * 4 - 2).Select(x => FormattableString.Invariant($"{x},{2 * x}"))]);

        var run = Runner.Run("train", "--data", dir.File("line.csv"), "--task", "regression", "--network", "Linear(1)", "--scale", "standard",
            "--scale-targets", "none", "--learning-rate", "1.5", "--epochs", "100");

        Assert.Equal(4, run.ExitCode);
        Assert.Matches(@"error: Training diverged at epoch \d+: the training loss grew from \S+ in epoch 1 to \S+ in epoch \d+, more than 1000-fold, though it stayed finite\.", run.Err);
        Assert.DoesNotContain("Training health", run.Out);
    }

    [Fact]
    public void GradcheckSaysWhenATensorPassedOnTheAbsoluteTolerance()
    {
        var run = Runner.Run("gradcheck", "--layers", "3", "--data", "moons", "--rtol", "1e-14");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("pass (atol)", run.Out);
        Assert.Contains("pass (atol): the relative error is above rtol 1e-14 only where the gradient is near zero", run.Out);
    }

    [Fact]
    public void EvaluateGivesTheMacroAndWeightedAverages()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Runner.Run("train", "--data", "iris", "--epochs", "20", "--test", "0.3", "--out", dir.Path).ExitCode);

        var text = Runner.Run("evaluate", "--model", dir.File("model.safetensors"), "--data", "iris");
        var json = JsonDocument.Parse(Runner.Run("evaluate", "--model", dir.File("model.safetensors"), "--data", "iris", "--json").Out).RootElement;

        Assert.Contains("macro avg", text.Out);
        Assert.Contains("weighted avg", text.Out);
        Assert.Equal(45, json.GetProperty("macro_avg").GetProperty("support").GetInt32());
        var perClass = json.GetProperty("per_class").EnumerateArray().ToList();
        Assert.Equal(perClass.Average(c => c.GetProperty("f1").GetDouble()), json.GetProperty("macro_avg").GetProperty("f1").GetDouble(), 12);
    }

    [Fact]
    public void TheSpeedIsTheCurrentEpochsNotAnAverageSinceTheStart()
    {
        var speed = new SpeedMeter();
        speed.Restart();
        speed.Add(1_000_000);
        Thread.Sleep(1);
        Assert.NotNull(speed.SamplesPerSecond);

        speed.Restart();

        Assert.Null(speed.SamplesPerSecond); // nothing trained since the restart: what came before does not count
    }
}
