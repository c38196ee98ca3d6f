namespace Nabla.Cli.Tests;

/// <summary>One run of the default <c>nabla train --out DIR</c>, shared by the tests that need a model file.</summary>
public sealed class TrainedModel : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TrainedModel()
    {
        Train = Runner.Run("train", "--out", _dir.Path);
        Assert.True(Train.ExitCode == 0, Train.ToString());
    }

    internal RunResult Train { get; }

    public string Directory => _dir.Path;

    public string ModelPath => _dir.File("model.safetensors");

    public string File(string name) => _dir.File(name);

    public void Dispose() => _dir.Dispose();
}
