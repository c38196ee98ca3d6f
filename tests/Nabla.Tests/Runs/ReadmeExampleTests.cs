using Nabla.Data;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Runs;
using Nabla.Serialization;
using Nabla.Tests.Serialization;

namespace Nabla.Tests.Runs;

/// <summary>
/// The README's library example runs here, word for word: the lines between the README markers below are the
/// README's C# block (a test checks that the README holds them), so the two cannot drift apart.
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TheReadmeRunStopsAfter100EpochsAndItsResumptionEqualsTwoHundredEpochsInOneGo()
    {
        using var temp = new TempDirectory();
        string dir = temp.File("moons");

        // README begin
        var options = new TrainingRunOptions
        {
            Train = Synthetic.Moons<float>(200, noise: 0.2, seed: 1),
            Test = Synthetic.Moons<float>(1000, noise: 0.2, seed: 2),
            Network = NetworkSpelling.Parse("Linear(8), Tanh, Linear(2)"),
            Loss = "cross-entropy",
            Optimizer = () => new Sgd<float>(0.5, momentum: 0.9),
            Epochs = 200,
            BatchSize = 32,
            Seed = 7,
            OutputDirectory = dir,  // model.safetensors, history.csv, health.json, the figures and report.html
            CheckpointEvery = 50,   // and checkpoint.safetensors every 50 epochs (Interrupt, a CancellationToken, saves one too)
        };

        // Stop after 100 epochs, as if the machine had gone down then...
        new TrainingRun(options with { Epochs = 100 }).Run();

        // ...and carry on from the checkpoint: the same 200 epochs as one uninterrupted run, bit for bit.
        var result = new TrainingRun(options with { Resume = ResumePoint.Load(dir) }).Run();
        // README end

        var straight = new TrainingRun(options with { OutputDirectory = temp.File("straight") }).Run();
        Assert.Equal(200, result.History.Epochs.Count);
        Assert.Equal(File.ReadAllBytes(straight.Files!.Model), File.ReadAllBytes(result.Files!.Model));
        Assert.Equal(straight.History.IterationLoss, result.History.IterationLoss);
        Assert.Equal(straight.OnTest!.Accuracy, result.OnTest!.Accuracy);
        Assert.True(result.OnTest.Accuracy > 0.9, $"test accuracy {result.OnTest.Accuracy}");
        Assert.Equal(200, CheckpointFile.Load(Path.Combine(dir, CheckpointFile.FileName)).State.CompletedEpochs);
    }

    [Fact]
    public void TheReadmeShowsTheCodeThisTestRuns()
    {
        string snippet = Snippet();
        string readme = File.ReadAllText(Repository.File("README.md")).ReplaceLineEndings("\n");

        Assert.True(readme.Contains(snippet, StringComparison.Ordinal), $"README.md's library example should contain, as written here:\n{snippet}");
    }

    /// <summary>The lines between the markers of this file, without their common indentation.</summary>
    private static string Snippet()
    {
        var lines = File.ReadAllLines(Repository.File("tests", "Nabla.Tests", "Runs", "ReadmeExampleTests.cs"));
        int begin = Array.FindIndex(lines, l => l.Trim() == "// README begin"), end = Array.FindIndex(lines, l => l.Trim() == "// README end");
        var body = lines[(begin + 1)..end];
        int indent = body.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", body.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
    }
}
