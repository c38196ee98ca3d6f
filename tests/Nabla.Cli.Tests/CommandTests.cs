using System.Text.Json;

namespace Nabla.Cli.Tests;

public class CommandTests
{
    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("predict")]
    [InlineData("trace")]
    [InlineData("gradcheck")]
    [InlineData("datasets")]
    [InlineData("bench")]
    public void EveryCommandHasHelpWithAnExample(string command)
    {
        var run = Runner.Run(command, "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example", run.Out);
        Assert.Contains($"nabla {command}", run.Out);
        Assert.Contains("--help", run.Out);
    }

    [Fact]
    public void TrainHelpListsBothSpellings()
    {
        var run = Runner.Run("train", "--help");

        foreach (var option in new[] { "--learning-rate", "--learning_rate", "--layers", "--hidden_layers", "--batch-size", "--config", "--validation", "--early-stopping", "--out" })
            Assert.Contains(option, run.Out);
    }

    [Fact]
    public void VersionPrintsTheVersion()
    {
        var run = Runner.Run("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(typeof(CliApp).Assembly.GetName().Version!.ToString(3), run.Out.Trim());
    }

    [Fact]
    public void GradcheckOfANewNetworkPassesAndReportsEveryTensor()
    {
        var run = Runner.Run("gradcheck", "--layers", "5,3", "--activation", "sigmoid", "--loss", "cross-entropy", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "input"],
            doc.RootElement.GetProperty("tensors").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.All(doc.RootElement.GetProperty("tensors").EnumerateArray(), t => Assert.True(t.GetProperty("max_rel_error").GetDouble() < 1e-4));
    }

    [Fact]
    public void GradcheckFailsWithExitCode1WhenTheToleranceCannotBeMet()
    {
        var run = Runner.Run("gradcheck", "--rtol", "1e-300", "--atol", "1e-300");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL", run.Out);
        Assert.Contains("the gradient check failed for", run.Err);
    }

    [Fact]
    public void DatasetsListsTheBuiltIns()
    {
        var run = Runner.Run("datasets");

        Assert.Equal(0, run.ExitCode);
        foreach (var name in new[] { "gaussians", "moons", "iris", "fashion-mnist" })
            Assert.Contains(name, run.Out);
    }
}
