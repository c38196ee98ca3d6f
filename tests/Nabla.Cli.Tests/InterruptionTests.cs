using Nabla.Runs;
using Nabla.Runs.Callbacks;
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

    /// <summary>Pauses the child after its 60th batch (batch 10 of epoch 2: moons' 200 samples make 50 batches of 4) until it is signalled.</summary>
    private static readonly Dictionary<string, string> PauseAtBatch60 = new() { [TestPause.Variable] = "60" };

    /// <summary>
    /// Signals a run paused in the middle of epoch 2 (the test hook, so the signal never arrives after the run ended) and
    /// checks the exit code, the checkpoint of epoch 2, batch 10, and that the resumed run ends byte-identical to an
    /// uninterrupted one.
    /// </summary>
    [Theory]
    [InlineData("INT", 130, "Interrupted: finishing the current batch")]
    [InlineData("TERM", 143, "Terminated (SIGTERM): finishing the current batch")]
    public void TheFirstSignalFinishesTheBatchSavesAndExitsAndTheResumedRunMatchesAnUninterruptedOne(string signal, int exitCode, string notice)
    {
        using var dir = new TempDirectory();
        using (var child = new ChildProcess(PauseAtBatch60, [.. Moons, "--epochs", "3", "--out", dir.File("interrupted")]))
        {
            child.WaitUntil(() => child.Err.Contains(TestPause.Notice), "the pause after batch 60");
            child.Signal(signal);
            Assert.Equal(exitCode, child.WaitForExit());
            Assert.Contains(notice, child.Err);
            Assert.Contains("Saved a checkpoint at epoch 2, batch 10", child.Err);
        }
        var state = CheckpointFile.Load(Checkpoint(dir.File("interrupted"))).State;
        Assert.Equal((1, 10), (state.CompletedEpochs, state.InProgress?.CompletedBatches));
        Assert.False(File.Exists(Path.Combine(dir.File("interrupted"), ModelFile.FileName)));

        var resumed = Runner.Run("train", "--resume", dir.File("interrupted"), "--epochs", "3");
        var straight = Runner.Run([.. Moons, "--epochs", "3", "--out", dir.File("straight")]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("after epoch 1 and 10 batches of epoch 2.", resumed.Out);
        Assert.True(straight.ExitCode == 0, straight.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("straight"), ModelFile.FileName)),
            File.ReadAllBytes(Path.Combine(dir.File("interrupted"), ModelFile.FileName)));
    }

    [Fact]
    public void ASecondCtrlCExitsAtOnceAndLeavesThePreviousCheckpointWhole()
    {
        using var dir = new TempDirectory();
        // The second save pauses for ten minutes: exiting at all shows the second interrupt did not wait for it.
        var pause = new Dictionary<string, string> { [CheckpointWriter.PauseVariable] = "600000" };
        using var child = new ChildProcess(pause, [.. Moons, "--epochs", "1000", "--checkpoint-every", "1", "--out", dir.Path]);
        child.WaitUntil(() => File.Exists(Checkpoint(dir.Path)) && SavingNow(dir.Path), "the second checkpoint save");
        byte[] before = File.ReadAllBytes(Checkpoint(dir.Path));

        // The first interrupt waits for the save in progress; the second one does not.
        child.Signal("INT");
        child.WaitUntil(() => child.Err.Contains("Interrupted: finishing"), "the first interrupt's notice");
        child.Signal("INT");
        Assert.Equal(130, child.WaitForExit(120));
        Assert.Contains("Interrupted again", child.Err);
        Assert.Equal(before, File.ReadAllBytes(Checkpoint(dir.Path)));
        Assert.Equal(1, CheckpointFile.Load(Checkpoint(dir.Path)).State.CompletedEpochs);
    }

    /// <summary>
    /// Two runs into one --out: the second is refused while the first holds the directory, and once the first is killed
    /// (SIGKILL: no clean-up at all) the lock file it left blocks nothing.
    /// </summary>
    [Fact]
    public void ASecondRunIntoTheSameOutIsRefusedWhileTheFirstRunsAndTheLockOfAKilledRunBlocksNothing()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        using (var first = new ChildProcess(PauseAtBatch60, [.. Moons, "--epochs", "3", "--out", run]))
        {
            first.WaitUntil(() => first.Err.Contains(TestPause.Notice), "the first run's pause");
            var before = Messages.Snapshot(run);

            var second = Runner.Run([.. Moons, "--epochs", "2", "--out", run]);

            Assert.True(second.ExitCode == 2, second.ToString());
            Assert.Contains($"--out {run}: Another run is writing into {run}", second.Err);
            Assert.DoesNotContain("epoch", second.Out);
            Messages.AssertBounded(second.Err);
            Messages.AssertSame(before, Messages.Snapshot(run));

            first.Signal("KILL");
            Assert.Equal(137, first.WaitForExit());
        }
        Assert.True(File.Exists(Path.Combine(run, RunLock.FileName)));

        var third = Runner.Run([.. Moons, "--epochs", "2", "--out", run]);

        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.True(File.Exists(Path.Combine(run, ModelFile.FileName)));
    }

    [Fact]
    public void ARunKilledInTheMiddleOfASaveResumesFromTheLastGoodCheckpoint()
    {
        using var dir = new TempDirectory();
        var pause = new Dictionary<string, string> { [CheckpointWriter.PauseVariable] = "600000" };
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
