using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

public partial class TrainTests
{
    [GeneratedRegex(@"Test accuracy: (\d\.\d{4}) \((\d+) of (\d+) correct\)")]
    internal static partial Regex TestAccuracy();

    [Fact]
    public void WithNoOptionsItTrainsSeed000sNetworkToAtLeast97PercentOnTenThousandHeldOutPoints()
    {
        var run = Runner.Run("train");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("recipe", run.Out); // no --data: seed 000's network, not the data-aware defaults
        Assert.Contains("Linear(2 => 2) -> Tanh -> Linear(2 => 2)", run.Out);
        Assert.Contains("loss mse+cross-entropy, sgd", run.Out);
        Assert.Contains("full batch", run.Out);
        var epochLines = run.Out.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal));
        Assert.InRange(epochLines, 10, 22);
        var match = TestAccuracy().Match(run.Out);
        Assert.True(match.Success, run.ToString());
        Assert.Equal("10000", match.Groups[3].Value);
        Assert.True(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= 0.97, run.Out);
        Assert.Equal("", run.Err);
    }

    public static TheoryData<string[]> LayerSpellings => new()
    {
        { ["--learning_rate", "0.001", "--epochs", "2", "--hidden_layers", "[256,", "64]"] },
        { ["--learning_rate", "0.001", "--epochs", "2", "--hidden_layers", "[256, 64]"] },
        { ["--learning-rate", "0.001", "--epochs", "2", "--layers", "256,64"] },
        { ["--lr", "0.001", "--epochs", "2", "--hidden-layers", "256", "64"] },
    };

    [Theory]
    [MemberData(nameof(LayerSpellings))]
    public void Seed003sSpellingAndOursBuildTheSameNetwork(string[] options)
    {
        var run = Runner.Run(["train", .. options]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Linear(2 => 256) -> Tanh -> Linear(256 => 64) -> Tanh -> Linear(64 => 2)", run.Out);
        Assert.Contains("learning rate 0.001", run.Out);
        Assert.Contains("2 epochs", run.Out);
    }

    [Fact]
    public void MiniBatchesMomentumAndAdamRun()
    {
        var sgd = Runner.Run("train", "--epochs", "3", "--batch-size", "32", "--momentum", "0.9", "--nesterov", "--weight-decay", "0.001");
        Assert.True(sgd.ExitCode == 0, sgd.ToString());
        Assert.Contains("batches of 32", sgd.Out);
        var adam = Runner.Run("train", "--epochs", "3", "--optimizer", "adam", "--learning-rate", "0.01", "--loss", "cross-entropy", "--activation", "relu", "--init", "he");
        Assert.True(adam.ExitCode == 0, adam.ToString());
        Assert.Contains("adam learning rate 0.01", adam.Out);
    }

    [Fact]
    public void ValidationAndEarlyStoppingAreRecordedInTheHistory()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("train", "--epochs", "400", "--validation", "0.2", "--early-stopping", "3", "--out", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("200 held out for validation", run.Out);
        Assert.Contains("val_loss", run.Out);
        var history = File.ReadAllLines(dir.File("history.csv"));
        Assert.Equal("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", history[0]);
        Assert.All(history.Skip(1), line => Assert.Equal(7, line.Split(',').Length));
        Assert.All(history.Skip(1), line => Assert.NotEqual("", line.Split(',')[3]));
    }

    [Fact]
    public void AConfigFileSetsOptionsAndFlagsOverrideIt()
    {
        using var dir = new TempDirectory();
        string config = dir.File("train.yaml");
        File.WriteAllText(config, "# seed 003's settings\nlearning_rate: 0.001\nepochs: 30\nhidden_layers: [8, 4]\nactivation: sigmoid\nbatch-size: 50\nnesterov: false\n");

        var run = Runner.Run("train", "--config", config, "--epochs", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Linear(2 => 8) -> Sigmoid -> Linear(8 => 4) -> Sigmoid -> Linear(4 => 2)", run.Out);
        Assert.Contains("learning rate 0.001", run.Out);
        Assert.Contains("batches of 50", run.Out);
        Assert.Contains("2 epochs", run.Out);
    }
}
