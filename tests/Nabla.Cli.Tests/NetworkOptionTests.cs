using System.Text.Json;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary><c>--network</c>: a network written as PyTorch module calls, in <c>train</c>, in YAML configs, in <c>gradcheck</c> and on resume.</summary>
public class NetworkOptionTests
{
    private static readonly string[] Moons = ["train", "--data", "moons", "--loss", "cross-entropy", "--batch-size", "20", "--seed", "4"];

    private static float[] Tensors(string dir, string name) => SafeTensorsFile.Read(Path.Combine(dir, ModelFile.FileName)).GetFloat32(name);

    [Fact]
    public void ANetworkSpelledAsModulesTrainsTheSameWeightsAsLayersAndActivation()
    {
        using var dir = new TempDirectory();
        var spelled = Runner.Run([.. Moons, "--epochs", "5", "--network", "Linear(16), LeakyReLU, Linear(2)", "--out", dir.File("spelled")]);
        var flags = Runner.Run([.. Moons, "--epochs", "5", "--layers", "16", "--activation", "leaky-relu", "--out", dir.File("flags")]);

        Assert.True(spelled.ExitCode == 0, spelled.ToString());
        Assert.True(flags.ExitCode == 0, flags.ToString());
        Assert.Contains("Linear(2 => 16) -> LeakyReLU", spelled.Out);
        foreach (string tensor in (string[])["0.weight", "0.bias", "2.weight", "2.bias"])
            Assert.Equal(Tensors(dir.File("flags"), tensor), Tensors(dir.File("spelled"), tensor));
    }

    [Theory]
    [InlineData("--layers", "8")]
    [InlineData("--activation", "relu")]
    public void NetworkWithLayersOrActivationIsAUsageErrorNamingBoth(string other, string value)
    {
        var run = Runner.Run([.. Moons, "--epochs", "1", "--network", "Linear(8), ReLU, Linear(2)", other, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--network and {other} both describe the network", run.Err);
    }

    [Theory]
    [InlineData("Linear(3, 8), ReLU, Linear(2)", "Linear(3, 8) takes 3 input features; received 2")]
    [InlineData("Linear(8), ReLU, Linear(3)", "3 outputs but 2 class names")]
    [InlineData("Linear(8), Swish, Linear(2)", "Module 2 ('Swish'): Unknown module 'Swish'")]
    public void AWrongNetworkIsAUsageErrorNamingTheModuleAndWhatItReceived(string network, string expected)
    {
        var run = Runner.Run([.. Moons, "--epochs", "1", "--network", network]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--network \"{network}\" on moons (2 features, 2 classes): ", run.Err);
        Assert.Contains(expected, run.Err);
    }

    [Theory]
    [InlineData("network: Linear(8), Tanh, Linear(2)")]
    [InlineData("network: [Linear(8), Tanh, Linear(2)]")]
    public void AConfigFileTakesTheNetworkAsTextOrAList(string line)
    {
        using var dir = new TempDirectory();
        string config = dir.File("train.yaml");
        File.WriteAllText(config, line + "\ndata: moons\nloss: cross-entropy\nepochs: 2\n");

        var run = Runner.Run("train", "--config", config);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Linear(2 => 8) -> Tanh -> Linear(8 => 2)", run.Out);
    }

    [Fact]
    public void AResumedRunReplaysItsNetwork()
    {
        using var dir = new TempDirectory();
        var straight = Runner.Run([.. Moons, "--network", "Linear(6), Sigmoid, Linear(2)", "--epochs", "4", "--out", dir.File("straight")]);
        var stopped = Runner.Run([.. Moons, "--network", "Linear(6), Sigmoid, Linear(2)", "--epochs", "2", "--checkpoint-every", "2", "--out", dir.File("stopped")]);
        var resumed = Runner.Run("train", "--resume", dir.File("stopped"), "--epochs", "4");

        Assert.True(straight.ExitCode == 0 && stopped.ExitCode == 0, straight + stopped.ToString());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Linear(2 => 6) -> Sigmoid -> Linear(6 => 2)", resumed.Out);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("straight"), ModelFile.FileName)), File.ReadAllBytes(Path.Combine(dir.File("stopped"), ModelFile.FileName)));
    }

    [Fact]
    public void GradcheckChecksASpelledNetwork()
    {
        var run = Runner.Run("gradcheck", "--data", "moons", "--network", "Linear(5), Tanh, Linear(3), Sigmoid, Linear(2)", "--loss", "cross-entropy", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "input"],
            doc.RootElement.GetProperty("tensors").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }
}
