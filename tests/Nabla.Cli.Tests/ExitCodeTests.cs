namespace Nabla.Cli.Tests;

public class ExitCodeTests
{
    [Theory]
    [InlineData("Unrecognized command or argument '--bogus'", "train", "--bogus")]
    [InlineData("Argument 'swish' not recognized. Must be one of:", "train", "--activation", "swish")]
    [InlineData("Invalid batch size 'some' for --batch-size: expected a positive integer or 'full'", "train", "--batch-size", "some")]
    [InlineData("Invalid layer sizes '[256, -1]' for --hidden_layers", "train", "--hidden_layers", "[256,", "-1]")]
    [InlineData("Invalid value '0' for --learning-rate: expected a positive number", "train", "--learning-rate", "0")]
    [InlineData("Invalid value '1.5' for --validation: expected a fraction in [0, 1)", "train", "--validation", "1.5")]
    [InlineData("Invalid value '1' for --momentum: expected a number in [0, 1)", "train", "--momentum", "1")]
    [InlineData("Invalid value 'many' for --epochs: expected a positive integer", "train", "--epochs", "many")]
    [InlineData("Invalid value 'NaN' for --lr: expected a positive number", "train", "--lr", "NaN")]
    [InlineData("--nesterov needs --momentum greater than 0", "train", "--nesterov")]
    [InlineData("Option '--model' is required", "evaluate")]
    [InlineData("Expected exactly one of --example worked-example or --model FILE", "trace")]
    [InlineData("Unrecognized command or argument 'fly'", "fly")]
    public void UsageErrorsExitWith2AndSayWhatIsAllowed(string message, params string[] args)
    {
        var run = Runner.Run(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Err);
        Assert.Contains("--help", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public void AnUnknownConfigKeyIsAUsageErrorNamingTheFileAndTheKey()
    {
        using var dir = new TempDirectory();
        string config = dir.File("bad.yaml");
        File.WriteAllText(config, "epochs: 3\nlearning_rat: 0.1\n");

        var run = Runner.Run("train", "--config", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"{config}: line 2: unknown key 'learning_rat'", run.Err);
        Assert.Contains("learning-rate", run.Err);
    }

    [Fact]
    public void ABadValueInAConfigFileIsAUsageError()
    {
        using var dir = new TempDirectory();
        string config = dir.File("bad.yaml");
        File.WriteAllText(config, "activation: swish\n");

        var run = Runner.Run("train", "--config", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(config, run.Err);
        Assert.Contains("'swish' not recognized", run.Err);
    }

    [Fact]
    public void AMissingOrMalformedConfigFileIsAnInputError()
    {
        using var dir = new TempDirectory();
        var missing = Runner.Run("train", "--config", dir.File("none.yaml"));
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("config file not found", missing.Err);

        string config = dir.File("broken.yaml");
        File.WriteAllText(config, "epochs: [3\n");
        var broken = Runner.Run("train", "--config", config);
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("malformed YAML", broken.Err);
    }

    [Fact]
    public void AMissingModelFileIsAnInputErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("missing.safetensors");

        var run = Runner.Run("evaluate", "--model", path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{path}: model file not found", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public void AMalformedModelFileIsAnInputError()
    {
        using var dir = new TempDirectory();
        string path = dir.File("junk.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        var run = Runner.Run("predict", "--model", path, "--input", path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(path, run.Err);
    }

    [Fact]
    public void VerboseAddsTheStackTrace()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("evaluate", "--model", dir.File("missing.safetensors"), "--verbose");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("   at ", run.Err);
    }

    [Fact]
    public void AHugeLearningRateDivergesWithExitCode4NamingEpochAndBatchAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("train", "--loss", "mse", "--learning-rate", "1000", "--batch-size", "100", "--epochs", "50", "--out", dir.Path);

        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Matches(@"Training diverged at epoch \d+, batch \d+: .+ became NaN or infinite", run.Err);
        // Only the run's lock, which stays so that no two runs can each lock a different file of that name.
        Assert.Equal([Runs.RunLock.FileName], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }
}
