namespace Nabla.Cli.Tests;

/// <summary>Config files that are not a mapping of option names to values are input errors (exit 3) naming the line and column.</summary>
public class ConfigFileTests
{
    public static TheoryData<string, string> Malformed => new()
    {
        { "epochs: [3\n", "line 2, column 1: malformed YAML: While parsing a flow sequence" },
        { "[a]: 1\n", "line 1, column 1: expected an option name; received a list" },
        { "epochs: 3\nlayers: {a: 1}\n", "line 2, column 9: 'layers' expects a value or a list of values; received a mapping" },
        { "layers: [[1, 2]]\n", "line 1, column 10: 'layers' expects a list of values; received a list inside it" },
        { "epochs: *x\n", "line 1, column 9: 'epochs' expects a value or a list of values; received an alias" },
        { "epochs: 1\nepochs: 2\n", "line 2, column 1: 'epochs' is given twice (first on line 1)" },
        { "epochs: 1\n---\nepochs: 2\n", "line 2, column 1: expected one YAML document; received another" },
        { "- epochs\n- 3\n", "line 1, column 1: expected a mapping of option names to values (such as 'epochs: 30'); received a list" },
        { "just text\n", "line 1, column 1: expected a mapping of option names to values (such as 'epochs: 30'); received the value 'just text'" },
        { "epochs: 1\n\u0000\u00ff", "line 2, column 2: malformed YAML" },
        { "epochs: \"\u001b[31m\n", "line 1, column 9: malformed YAML: While scanning a quoted scalar" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedConfigIsAnInputErrorNamingItsLineAndColumn(string yaml, string expected)
    {
        using var dir = new TempDirectory();
        string config = dir.File("train.yaml");
        File.WriteAllText(config, yaml);

        var run = Runner.Run("train", "--config", config);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"{config}: {expected}", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.DoesNotContain("epoch", run.Out);
        Messages.AssertBounded(run.Err);
    }

    [Fact]
    public void DeepNestingIsRefusedWhereItStartsWithoutRecursing()
    {
        using var dir = new TempDirectory();
        string config = dir.File("deep.yaml");
        File.WriteAllText(config, "epochs: " + new string('[', 100_000) + "\n");

        // A child process: 100,000 brackets once overflowed the stack, which no test host survives.
        var run = Runner.RunProcess("train", "--config", config);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"{config}: line 1, column 10: 'epochs' expects a list of values; received a list inside it.", run.Err);
        Messages.AssertBounded(run.Err);
    }

    [Fact]
    public void AConfigOverOneMegabyteIsRefusedUnread()
    {
        using var dir = new TempDirectory();
        string config = dir.File("huge.yaml");
        File.WriteAllText(config, "epochs: 3\n# " + new string('x', 2 << 20) + "\n");

        var run = Runner.Run("train", "--config", config);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("a config file of option values holds at most 1,048,576", run.Err);
        Messages.AssertBounded(run.Err);
    }

    [Fact]
    public void AnUnknownKeyWithEscapeSequencesIsShownEscaped()
    {
        using var dir = new TempDirectory();
        string config = dir.File("train.yaml");
        File.WriteAllText(config, "\"\\e[2J\\e[31mred\": 1\n");

        var run = Runner.Run("train", "--config", config);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unknown key '\\u001b[2J\\u001b[31mred'", run.Err);
        Messages.AssertBounded(run.Err);
    }

    [Theory]
    [InlineData("gaussians")]
    [InlineData("iris")]
    [InlineData("moons")]
    public void BatchSizeFullTrainsOnEveryDatasetFromTheCommandLineAndFromAConfig(string data)
    {
        using var dir = new TempDirectory();
        string config = dir.File("train.yaml");
        File.WriteAllText(config, $"data: {data}\nbatch-size: full\nepochs: 2\n");

        var flag = Runner.Run("train", "--data", data, "--batch-size", "full", "--epochs", "2");
        var yaml = Runner.Run("train", "--config", config);

        Assert.True(flag.ExitCode == 0, flag.ToString());
        Assert.Contains("full batch", flag.Out);
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("full batch", yaml.Out);
    }

    [Fact]
    public void BatchSizeFullGivenAgainAgreesWithAResumedRunsDefault()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Runner.Run("train", "--epochs", "2", "--checkpoint-every", "2", "--out", dir.Path).ExitCode);

        var resumed = Runner.Run("train", "--resume", dir.Path, "--epochs", "3", "--batch-size", "full");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
    }
}
