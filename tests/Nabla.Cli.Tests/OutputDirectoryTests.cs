using Nabla.IO;
using Nabla.Runs;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>--out</c>: a directory that cannot be written is refused before anything is trained, one run at a time holds it,
/// and a run's final outputs replace the previous run's all together or not at all, even on a disk that fills up.
/// </summary>
public class OutputDirectoryTests
{
    private static readonly string[] Moons =
        ["train", "--data", "moons", "--layers", "8", "--loss", "cross-entropy", "--batch-size", "20", "--epochs", "5"];

    private static void AssertRefusedBeforeTraining(RunResult run, string expected)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Err);
        Assert.DoesNotContain("epoch", run.Out);
        Assert.DoesNotContain("Training", run.Out);
        Messages.AssertBounded(run.Err);
    }

    [Fact]
    public void AnOutThatIsAnExistingFileIsRefusedBeforeTrainingAndTheFileIsUnchanged()
    {
        using var dir = new TempDirectory();
        string file = dir.File("notes.txt");
        File.WriteAllText(file, "my notes");

        var run = Runner.Run([.. Moons, "--out", file]);

        AssertRefusedBeforeTraining(run, $"--out {file}: {file} is a file; expected a directory");
        Assert.Equal("my notes", File.ReadAllText(file));
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AnOutUnderAFileIsRefusedBeforeTraining()
    {
        using var dir = new TempDirectory();
        string file = dir.File("notes.txt");
        File.WriteAllText(file, "my notes");
        string under = Path.Combine(file, "runs", "moons");

        var run = Runner.Run([.. Moons, "--out", under]);

        AssertRefusedBeforeTraining(run, $"{file} is a file, not a directory");
        Assert.Equal("my notes", File.ReadAllText(file));
    }

    [MountFact]
    public void AReadOnlyOutIsRefusedBeforeTrainingAndWhatItHoldsIsUnchanged()
    {
        // Root ignores permission bits, so the directory is a file system mounted read-only.
        using var fs = new TinyFileSystem(1 << 20);
        string previous = Path.Combine(fs.Path, "run");
        Assert.True(Runner.Run([.. Moons, "--out", previous]).ExitCode == 0);
        var before = Messages.Snapshot(fs.Path);
        fs.MakeReadOnly();

        var run = Runner.Run([.. Moons, "--seed", "2", "--out", previous]);

        AssertRefusedBeforeTraining(run, $"--out {previous}: Cannot write into {previous}");
        Messages.AssertSame(before, Messages.Snapshot(fs.Path));
    }

    [Fact]
    public void ASecondRunIntoADirectoryInUseIsRefusedAndChangesNothing()
    {
        using var dir = new TempDirectory();
        Assert.True(Runner.Run([.. Moons, "--out", dir.Path]).ExitCode == 0);
        var before = Messages.Snapshot(dir.Path);

        RunResult second;
        using (RunLock.Acquire(dir.Path))
            second = Runner.Run([.. Moons, "--seed", "2", "--out", dir.Path]);

        AssertRefusedBeforeTraining(second, $"Another run is writing into {dir.Path}");
        Messages.AssertSame(before, Messages.Snapshot(dir.Path));
        // Released: the next run may write.
        Assert.True(Runner.Run([.. Moons, "--seed", "2", "--out", dir.Path]).ExitCode == 0);
    }

    [Fact]
    public void StagingDirectoriesADeadRunLeftAreRemovedByTheNextRun()
    {
        using var dir = new TempDirectory();
        string leftover = Path.Combine(dir.Path, AtomicFileSet.StagingPrefix + "0123456789abcdef");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "model.safetensors"), "half");

        var run = Runner.Run([.. Moons, "--out", dir.Path]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(Directory.Exists(leftover));
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    /// <summary>
    /// The full disk: a run writes its outputs into a tmpfs that fills up at each file in turn (the model, the
    /// history, the health summary, each figure, the report), and every time the previous run's files stay exactly as
    /// they were, with nothing of the new run beside them.
    /// </summary>
    [MountFact]
    public void ADiskFillingUpAtEachOutputInTurnLeavesThePreviousRunsFilesIntact()
    {
        string[] next = [.. Moons, "--seed", "2"];
        // The files the next run writes and their sizes in pages, from a run on an ordinary disk.
        Dictionary<string, long> pages;
        using (var reference = new TempDirectory())
        {
            var run = Runner.Run([.. next, "--out", reference.Path]);
            Assert.True(run.ExitCode == 0, run.ToString());
            pages = Directory.GetFiles(reference.Path).Where(f => new FileInfo(f).Length > 0)
                .ToDictionary(f => Path.GetFileName(f), f => (new FileInfo(f).Length + 4095) / 4096);
        }
        Assert.Equal(11, pages.Count); // model, history, health, 7 figures, report

        using var fs = new TinyFileSystem(2 << 20);
        string dir = Path.Combine(fs.Path, "run");
        Assert.True(Runner.Run([.. Moons, "--out", dir]).ExitCode == 0);
        var before = Messages.Snapshot(dir);

        string FailsAt(long freePages)
        {
            string ballast = fs.FillLeaving(freePages * 4096, dir);
            var run = Runner.Run([.. next, "--out", dir]);
            File.Delete(ballast);
            Assert.True(run.ExitCode == 3, $"with {freePages} pages free: {run}");
            Assert.Contains($"Could not write the run's outputs into {dir}", run.Err);
            Assert.Contains("its previous files are as they were", run.Err);
            Messages.AssertBounded(run.Err);
            Messages.AssertSame(before, Messages.Snapshot(dir));
            return Assert.Single(pages.Keys, name => run.Err.Contains($"{name}.tmp-", StringComparison.Ordinal));
        }

        // Room for the files written so far: the next one fails at its first page, and a file of several pages fails again part way.
        var failed = new List<string>();
        long room = 0;
        while (failed.Count < pages.Count)
        {
            string name = FailsAt(room);
            Assert.DoesNotContain(name, failed);
            if (pages[name] > 1)
                Assert.Equal(name, FailsAt(room + pages[name] - 1));
            failed.Add(name);
            room += pages[name];
        }
        Assert.Equal([ModelFile.FileName, RunOutputs.HistoryFile, RunOutputs.HealthFile], failed[..3]);
        Assert.Equal("report.html", failed[^1]);

        var complete = Runner.Run([.. next, "--out", dir]);
        Assert.True(complete.ExitCode == 0, complete.ToString());
        var after = Messages.Snapshot(dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.False(before[ModelFile.FileName].AsSpan().SequenceEqual(after[ModelFile.FileName]));
    }
}
