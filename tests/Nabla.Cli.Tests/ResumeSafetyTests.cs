using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>
/// A checkpoint may come from anyone (its SHA-256 is a checksum, not a signature), so a resumed run must never let it
/// say where to write, must show which files it reads, and must not quote a file it was pointed at.
/// </summary>
public class ResumeSafetyTests
{
    private static readonly string[] Moons =
        ["train", "--data", "moons", "--layers", "8", "--loss", "cross-entropy", "--batch-size", "20", "--seed", "4"];

    /// <summary>A 2-epoch run with a checkpoint in <c>DIR/run</c>, whose stored settings <paramref name="forge"/> rewrites, checksum and all.</summary>
    private static string ForgedRun(TempDirectory dir, Func<IReadOnlyList<string>, IEnumerable<string>> forge)
    {
        string run = dir.File("run");
        var trained = Runner.Run([.. Moons, "--epochs", "2", "--checkpoint-every", "2", "--out", run]);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        string path = Path.Combine(run, CheckpointFile.FileName);
        var checkpoint = CheckpointFile.Load(path);
        File.WriteAllBytes(path, CheckpointFile.Serialize(checkpoint with { Settings = [.. forge(checkpoint.Settings)] }));
        return run;
    }

    [Fact]
    public void StoredSettingsThatNameWhereToWriteAreIgnoredAndTheFilesTheyNameAreUntouched()
    {
        using var dir = new TempDirectory();
        string victim = dir.File("victim");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Combine(victim, ModelFile.FileName), "someone's model");
        File.WriteAllText(Path.Combine(victim, "notes.txt"), "someone's notes");
        string run = ForgedRun(dir, stored => [.. stored, "--out", victim, "--memory-log", Path.Combine(victim, "notes.txt"),
            "--config", Path.Combine(victim, "notes.txt"), "--resume", victim]);
        var before = Messages.Snapshot(victim);

        var resumed = Runner.Run("train", "--resume", run, "--epochs", "3");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("stores --out, --config, --resume, --memory-log, which a checkpoint never holds; ignored: a resumed run writes only into", resumed.Err);
        Messages.AssertSame(before, Messages.Snapshot(victim));
        Assert.Contains("epoch 3/3", resumed.Out);
        Assert.True(File.Exists(Path.Combine(run, ModelFile.FileName)));
    }

    [Fact]
    public void AStoredDataPathIsShownBeforeItIsReadAndAFileThatIsNotADatasetIsNotQuoted()
    {
        using var dir = new TempDirectory();
        // What /etc/passwd looks like: one field per line, so the CSV reader would quote the first line in its error.
        string secret = dir.File("passwd");
        File.WriteAllText(secret, "root:x:0:0:SECRET-ROOT-LINE:/root:/bin/bash\ndaemon:x:1:1:SECRET-DAEMON-LINE:/usr/sbin:/usr/sbin/nologin\n");
        string run = ForgedRun(dir, stored => Replace(stored, "--data", secret));

        var resumed = Runner.Run("train", "--resume", run, "--epochs", "3");

        Assert.True(resumed.ExitCode == 3, resumed.ToString());
        Assert.Contains($"The checkpoint's settings read --data '{secret}'.", resumed.Out);
        Assert.Contains($"the settings stored in this checkpoint read --data '{secret}', which could not be read as expected", resumed.Err);
        Assert.DoesNotContain("SECRET", resumed.Out + resumed.Err);
        Assert.DoesNotContain("root:x", resumed.Out + resumed.Err);
        Messages.AssertBounded(resumed.Err);

        // Given by the user, the same file's error says why, quoting it.
        var own = Runner.Run("train", "--resume", run, "--epochs", "3", "--data", secret);
        Assert.True(own.ExitCode == 3, own.ToString());
        Assert.Contains("root:x", own.Err);
    }

    [Fact]
    public void AStoredPathIsShownEscapedAndCut()
    {
        using var dir = new TempDirectory();
        string hostile = dir.File("\u001b[2J\u001b[31m" + new string('x', 5000) + ".csv");
        string run = ForgedRun(dir, stored => Replace(stored, "--data", hostile));

        var resumed = Runner.Run("train", "--resume", run, "--epochs", "3");

        Assert.True(resumed.ExitCode == 3, resumed.ToString());
        Assert.DoesNotContain('\u001b', resumed.Out + resumed.Err);
        Assert.Contains("\\u001b[2J", resumed.Out);
        Assert.True(resumed.Out.Length < 2000, resumed.Out);
        Messages.AssertBounded(resumed.Err);
    }

    [Fact]
    public void ResumingWithFewerEpochsThanTrainedSaysSoAndTheSameNumberWritesTheOutputs()
    {
        using var dir = new TempDirectory();
        string run = dir.File("run");
        Assert.Equal(0, Runner.Run([.. Moons, "--epochs", "4", "--checkpoint-every", "4", "--out", run]).ExitCode);
        File.Delete(Path.Combine(run, ModelFile.FileName));
        var before = Messages.Snapshot(run);

        var fewer = Runner.Run("train", "--resume", run, "--epochs", "2");

        Assert.True(fewer.ExitCode == 2, fewer.ToString());
        Assert.Contains($"--epochs 2 is fewer than the 4 epochs the checkpoint {Path.Combine(run, CheckpointFile.FileName)} has trained", fewer.Err);
        Assert.Contains("give --epochs 5 or more to train on, or --epochs 4 to write its outputs without training", fewer.Err);
        Messages.AssertBounded(fewer.Err);
        Messages.AssertSame(before, Messages.Snapshot(run));

        var same = Runner.Run("train", "--resume", run, "--epochs", "4");

        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains("All 4 epochs are trained already: writing the outputs without training.", same.Out);
        Assert.Equal(before[CheckpointFile.FileName], File.ReadAllBytes(Path.Combine(run, CheckpointFile.FileName)));
        Assert.True(File.Exists(Path.Combine(run, ModelFile.FileName)));
    }

    /// <summary>
    /// A guard for options added later: one that names a file or directory (its help name says FILE, DIR or PATH) must be
    /// either never stored in a checkpoint (where to write, or how to run this process) or shown before a resumed run reads it.
    /// </summary>
    [Fact]
    public void EveryTrainOptionThatNamesAPathIsEitherNeverReplayedOrShownBeforeItIsRead()
    {
        var options = new Commands.TrainOptions();
        var command = new System.CommandLine.Command("train");
        options.AddTo(command);

        var paths = command.Options.Where(o => o.HelpName is { } name && (name.Contains("FILE") || name.Contains("DIR") || name.Contains("PATH"))).ToList();

        Assert.Contains(options.Out, paths);
        Assert.All(paths, o => Assert.True(options.NotStored.Contains(o) ^ options.ReadPaths.Contains(o),
            $"{o.Name} names a path: add it to TrainOptions.NotStored (where to write) or TrainOptions.ReadPaths (what to read)."));
    }

    private static IEnumerable<string> Replace(IReadOnlyList<string> settings, string option, string value)
    {
        int at = settings.ToList().IndexOf(option);
        Assert.True(at >= 0, $"{option} is not among the stored settings {string.Join(' ', settings)}");
        return settings.Select((s, i) => i == at + 1 ? value : s);
    }
}
