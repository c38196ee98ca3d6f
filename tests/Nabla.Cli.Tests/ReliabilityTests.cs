using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>Determinism, checkpoints and resume, divergence: the guarantees of docs/reliability.md, in process.</summary>
public class ReliabilityTests
{
    // Big enough that a product gets a second thread (above 2 MFLOP): 500 x 256 x 256 x 2 = 65 MFLOP.
    private static readonly string[] Spiral =
        ["train", "--data", "spiral", "--samples", "2000", "--layers", "256,256", "--activation", "relu", "--init", "he",
         "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.003", "--batch-size", "500", "--seed", "11"];

    private static readonly string[] Moons =
        ["train", "--data", "moons", "--layers", "16,8", "--loss", "cross-entropy", "--optimizer", "sgd", "--momentum", "0.9",
         "--learning-rate", "0.05", "--batch-size", "16", "--validation", "0.2", "--seed", "3"];

    private static byte[] Train(TempDirectory dir, string name, string[] baseArgs, params string[] extra)
    {
        var run = Runner.Run([.. baseArgs, .. extra, "--out", dir.File(name)]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return File.ReadAllBytes(Path.Combine(dir.File(name), ModelFile.FileName));
    }

    [Fact]
    public void TheSameCommandAndSeedGiveAByteIdenticalModelWithOneOrTwoThreadsAndOnEveryRun()
    {
        using var dir = new TempDirectory();
        byte[] one = Train(dir, "one", Spiral, "--epochs", "3", "--threads", "1");
        byte[] two = Train(dir, "two", Spiral, "--epochs", "3", "--threads", "2");
        byte[] again = Train(dir, "again", Spiral, "--epochs", "3", "--threads", "2");

        Assert.Equal(one, two);
        Assert.Equal(two, again);
    }

    [Fact]
    public void AResumedRunEndsByteIdenticalToAnUninterruptedOne()
    {
        using var dir = new TempDirectory();
        byte[] straight = Train(dir, "straight", Moons, "--epochs", "6");
        Train(dir, "stopped", Moons, "--epochs", "3", "--checkpoint-every", "1");
        Assert.Equal(3, CheckpointFile.Load(Path.Combine(dir.File("stopped"), CheckpointFile.FileName)).State.CompletedEpochs);

        var resumed = Runner.Run("train", "--resume", dir.File("stopped"), "--epochs", "6");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Resuming from", resumed.Out);
        Assert.Contains("after epoch 3.", resumed.Out);
        Assert.DoesNotContain("epoch 1/6", resumed.Out);
        Assert.Contains("epoch 4/6", resumed.Out);
        Assert.Equal(straight, File.ReadAllBytes(Path.Combine(dir.File("stopped"), ModelFile.FileName)));
        // The history of both runs agrees epoch by epoch, except for the timings.
        static IEnumerable<string> WithoutSeconds(string path) => File.ReadAllLines(path).Select(l => l[..l.LastIndexOf(',')]);
        Assert.Equal(WithoutSeconds(Path.Combine(dir.File("straight"), "history.csv")), WithoutSeconds(Path.Combine(dir.File("stopped"), "history.csv")));
    }

    [Fact]
    public void AResumedRunWithEarlyStoppingEndsByteIdenticalToAnUninterruptedOne()
    {
        // Moons' validation loss is lowest at epoch 3, so patience 2 stops the run after epoch 5 and puts back epoch 3's
        // weights. The checkpoint after epoch 4 lies between the two: the resumed run must remember both the best epoch
        // (and its weights) and the one epoch it has already waited.
        using var dir = new TempDirectory();
        byte[] straight = Train(dir, "straight", Moons, "--epochs", "30", "--early-stopping", "2");
        Train(dir, "stopped", Moons, "--epochs", "4", "--early-stopping", "2", "--checkpoint-every", "2");
        var checkpoint = CheckpointFile.Load(Path.Combine(dir.File("stopped"), CheckpointFile.FileName));
        Assert.Equal(4, checkpoint.State.CompletedEpochs);
        Assert.Equal((3, 1), (checkpoint.EarlyStopping!.BestEpoch, checkpoint.EarlyStopping.Wait));
        Assert.NotNull(checkpoint.EarlyStopping.BestWeights);

        var resumed = Runner.Run("train", "--resume", dir.File("stopped"), "--epochs", "30");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("after epoch 4.", resumed.Out);
        Assert.Contains("Stopped after epoch 5: early stopping: no improvement of val_loss for 2 epochs (best at epoch 3).", resumed.Out);
        Assert.Equal(straight, File.ReadAllBytes(Path.Combine(dir.File("stopped"), ModelFile.FileName)));
        static IEnumerable<string> WithoutSeconds(string path) => File.ReadAllLines(path).Select(l => l[..l.LastIndexOf(',')]);
        Assert.Equal(WithoutSeconds(Path.Combine(dir.File("straight"), "history.csv")), WithoutSeconds(Path.Combine(dir.File("stopped"), "history.csv")));
    }

    [Fact]
    public void AResumedRunRejectsAConflictingSettingAndAcceptsARepeatedOne()
    {
        using var dir = new TempDirectory();
        Train(dir, "run", Moons, "--epochs", "2", "--checkpoint-every", "2");

        var conflict = Runner.Run("train", "--resume", dir.File("run"), "--epochs", "4", "--layers", "32");
        Assert.Equal(2, conflict.ExitCode);
        Assert.Contains("--layers 32 conflicts with the checkpoint, which was trained with --layers 16,8", conflict.Err);

        var optimizer = Runner.Run("train", "--resume", dir.File("run"), "--epochs", "4", "--optimizer", "adam");
        Assert.Equal(2, optimizer.ExitCode);
        Assert.Contains("--optimizer adam conflicts", optimizer.Err);

        var same = Runner.Run("train", "--resume", dir.File("run"), "--epochs", "3", "--layers", "[16, 8]", "--seed", "3");
        Assert.True(same.ExitCode == 0, same.ToString());
    }

    [Fact]
    public void ResumeNeedsACheckpointAndCheckpointsNeedAnOutputDirectory()
    {
        using var dir = new TempDirectory();
        var missing = Runner.Run("train", "--resume", dir.Path, "--epochs", "2");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("checkpoint not found", missing.Err);

        var noOut = Runner.Run("train", "--epochs", "2", "--checkpoint-every", "1");
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--checkpoint-every needs --out DIR", noOut.Err);
    }

    [Fact]
    public void ACorruptCheckpointIsRejectedWithExitCode3()
    {
        using var dir = new TempDirectory();
        Train(dir, "run", Moons, "--epochs", "1", "--checkpoint-every", "1");
        string path = Path.Combine(dir.File("run"), CheckpointFile.FileName);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var run = Runner.Run("train", "--resume", dir.File("run"), "--epochs", "2");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("checksum mismatch", run.Err);
    }

    [Fact]
    public void DivergenceExitsWith4NamingWhereAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDirectory();
        // Plain SGD on MSE with a step this large grows the weights until they overflow a few epochs in.
        var run = Runner.Run("train", "--data", "moons", "--layers", "8", "--loss", "mse", "--learning-rate", "3", "--batch-size", "50",
            "--epochs", "100", "--checkpoint-every", "1", "--out", dir.Path);

        Assert.True(run.ExitCode == 4, run.ToString());
        // Either a step's numbers overflowed, or the epoch's loss grew a thousandfold while still finite.
        Assert.Matches(@"Training diverged at epoch (\d+)(, batch (\d+): (loss|output of layer \d \(\w+\)|gradient of \d\.\w+|parameter \d\.\w+) became NaN or infinite" +
            @"|: the training loss grew from .+ more than 1000-fold)", run.Err);
        int diverged = int.Parse(System.Text.RegularExpressions.Regex.Match(run.Err, @"at epoch (\d+)").Groups[1].Value);
        var checkpoint = CheckpointFile.Load(Path.Combine(dir.Path, CheckpointFile.FileName));
        Assert.True(diverged > 1, run.Err);
        Assert.Equal(diverged - 1, checkpoint.State.CompletedEpochs);
        Assert.Contains($"The last good checkpoint (epoch {diverged - 1}) is kept in", run.Err);
        Assert.All(checkpoint.Model.Values.Values.SelectMany(w => w), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void SkipBatchGoesOnAndWarns()
    {
        var run = Runner.Run("train", "--data", "moons", "--layers", "8", "--loss", "mse", "--learning-rate", "3", "--batch-size", "50",
            "--epochs", "30", "--on-divergence", "skip-batch");

        // Skipping cannot save a run whose weights themselves overflow, but it must never end with a stack trace.
        Assert.True(run.ExitCode is 0 or 4, run.ToString());
        if (run.ExitCode == 0)
            Assert.Contains("warning: skipped", run.Err);
    }

    [Fact]
    public void TrainingWritesAHealthSummary()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("train", "--data", "moons", "--layers", "16", "--activation", "relu", "--loss", "cross-entropy", "--epochs", "5",
            "--batch-size", "20", "--out", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Training health", run.Out);
        Assert.Contains("dead units", run.Out);
        string json = File.ReadAllText(Path.Combine(dir.Path, "health.json"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var checks = doc.RootElement.GetProperty("checks");
        Assert.Contains(checks.EnumerateArray(), c => c.GetProperty("quantity").GetString() == "update/weight ratio");
        Assert.Contains(checks.EnumerateArray(), c => c.GetProperty("name").GetString() == "layer 1 (ReLU)");
        Assert.Equal(System.Text.Json.JsonValueKind.Array, doc.RootElement.GetProperty("warnings").ValueKind);
    }

    [Fact]
    public void MemoryLogHasOneRowPerEpoch()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run([.. Moons, "--epochs", "4", "--memory-log", dir.File("memory.csv")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = File.ReadAllLines(dir.File("memory.csv"));
        Assert.Equal("epoch,seconds,rss_bytes,live_heap_bytes,allocated_bytes,gen2_collections", lines[0]);
        Assert.Equal(["1", "2", "3", "4"], lines.Skip(1).Select(l => l.Split(',')[0]));
    }
}
