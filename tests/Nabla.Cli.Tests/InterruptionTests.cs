using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>The real executable as a child process, interrupted with SIGINT or killed with SIGKILL part way.</summary>
public class InterruptionTests
{
    private static readonly string[] Moons =
        ["train", "--data", "moons", "--layers", "16", "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.01",
         "--batch-size", "4", "--seed", "5"];

    private static string Checkpoint(string dir) => Path.Combine(dir, CheckpointFile.FileName);

    private static bool SavingNow(string dir) => Directory.Exists(dir) && Directory.GetFiles(dir, CheckpointFile.FileName + ".tmp-*").Any(f => new FileInfo(f).Length > 0);

    [Fact]
    public void TheFirstCtrlCFinishesTheBatchSavesAndExits130AndTheResumedRunMatchesAnUninterruptedOne()
    {
        using var dir = new TempDirectory();
        const string Epochs = "400";
        using (var child = new ChildProcess(null, [.. Moons, "--epochs", Epochs, "--out", dir.File("interrupted")]))
        {
            child.WaitUntil(() => child.Out.Contains("epoch   1/400"), "the first epoch");
            child.Signal("INT");
            Assert.Equal(130, child.WaitForExit());
            Assert.Contains("Interrupted: finishing the current batch", child.Err);
            Assert.Contains("Saved a checkpoint at epoch", child.Err);
        }
        var state = CheckpointFile.Load(Checkpoint(dir.File("interrupted"))).State;
        Assert.InRange(state.CompletedEpochs, 1, 398);
        Assert.False(File.Exists(Path.Combine(dir.File("interrupted"), ModelFile.FileName)));

        var resumed = Runner.Run("train", "--resume", dir.File("interrupted"), "--epochs", Epochs);
        var straight = Runner.Run([.. Moons, "--epochs", Epochs, "--out", dir.File("straight")]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.True(straight.ExitCode == 0, straight.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("straight"), ModelFile.FileName)),
            File.ReadAllBytes(Path.Combine(dir.File("interrupted"), ModelFile.FileName)));
    }

    [Fact]
    public void ASecondCtrlCExitsAtOnceAndLeavesThePreviousCheckpointWhole()
    {
        using var dir = new TempDirectory();
        var pause = new Dictionary<string, string> { ["NABLA_TEST_CHECKPOINT_PAUSE_MS"] = "30000" };
        using var child = new ChildProcess(pause, [.. Moons, "--epochs", "1000", "--checkpoint-every", "1", "--out", dir.Path]);
        child.WaitUntil(() => File.Exists(Checkpoint(dir.Path)) && SavingNow(dir.Path), "the second checkpoint save");
        byte[] before = File.ReadAllBytes(Checkpoint(dir.Path));

        // The first interrupt waits for the save in progress; the second one does not.
        child.Signal("INT");
        child.WaitUntil(() => child.Err.Contains("Interrupted: finishing"), "the first interrupt's notice");
        child.Signal("INT");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(130, child.WaitForExit(20));
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("Interrupted again", child.Err);
        Assert.Equal(before, File.ReadAllBytes(Checkpoint(dir.Path)));
        Assert.Equal(1, CheckpointFile.Load(Checkpoint(dir.Path)).State.CompletedEpochs);
    }

    [Fact]
    public void ARunKilledInTheMiddleOfASaveResumesFromTheLastGoodCheckpoint()
    {
        using var dir = new TempDirectory();
        var pause = new Dictionary<string, string> { ["NABLA_TEST_CHECKPOINT_PAUSE_MS"] = "30000" };
        using (var child = new ChildProcess(pause, [.. Moons, "--epochs", "4", "--checkpoint-every", "1", "--out", dir.File("killed")]))
        {
            child.WaitUntil(() => File.Exists(Checkpoint(dir.File("killed"))) && SavingNow(dir.File("killed")), "the second checkpoint save");
            child.Signal("KILL");
            Assert.Equal(137, child.WaitForExit());
        }
        // The half-written temporary file is left behind, and the checkpoint is the complete first one.
        Assert.NotEmpty(Directory.GetFiles(dir.File("killed"), CheckpointFile.FileName + ".tmp-*"));
        Assert.Equal(1, CheckpointFile.Load(Checkpoint(dir.File("killed"))).State.CompletedEpochs);

        var resumed = Runner.Run("train", "--resume", dir.File("killed"), "--epochs", "4");
        var straight = Runner.Run([.. Moons, "--epochs", "4", "--out", dir.File("straight")]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("after epoch 1.", resumed.Out);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("straight"), ModelFile.FileName)),
            File.ReadAllBytes(Path.Combine(dir.File("killed"), ModelFile.FileName)));
    }
}
