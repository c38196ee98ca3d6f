namespace Nabla.Cli.Tests;

/// <summary>The real built executable, as a child process: exit codes and streams as a shell sees them.</summary>
public class ExecutableTests
{
    [Fact]
    public void VersionAndHelp()
    {
        var version = Runner.RunProcess("--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Out);

        var help = Runner.RunProcess("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("train", help.Out);
    }

    [Fact]
    public void TrainsWithPlainOutputWhenNotOnATerminal()
    {
        var run = Runner.RunProcess("train", "--epochs", "20");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("epoch 20/20", run.Out);
        Assert.Contains("Test accuracy:", run.Out);
        Assert.DoesNotContain("\u001b[", run.Out);
    }

    [Fact]
    public void UsageInputAndDivergenceExitCodes()
    {
        var usage = Runner.RunProcess("train", "--learning_rate", "fast");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--learning_rate", usage.Err);
        Assert.Equal("", usage.Out);

        var input = Runner.RunProcess("evaluate", "--model", "/nonexistent/model.safetensors");
        Assert.Equal(3, input.ExitCode);
        Assert.Contains("/nonexistent/model.safetensors", input.Err);

        var diverged = Runner.RunProcess("train", "--loss", "mse", "--learning-rate", "1000", "--batch-size", "100", "--epochs", "50");
        Assert.True(diverged.ExitCode == 4, diverged.ToString());
        Assert.Contains("Training diverged", diverged.Err);
    }
}
