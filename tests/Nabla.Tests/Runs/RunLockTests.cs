using System.Diagnostics;
using Nabla.Runs;
using Nabla.Tests.Serialization;

namespace Nabla.Tests.Runs;

/// <summary>One run at a time per output directory; the operating system drops a dead holder's lock.</summary>
public class RunLockTests
{
    [Fact]
    public void ASecondHolderIsRefusedUntilTheFirstReleases()
    {
        using var dir = new TempDirectory();
        string runs = dir.File("runs");

        using (RunLock.Acquire(runs))
        {
            var e = Assert.Throws<IOException>(() => RunLock.Acquire(runs));
            Assert.Contains($"Another run is writing into {runs}", e.Message);
        }
        using (RunLock.Acquire(runs))
            Assert.True(File.Exists(Path.Combine(runs, RunLock.FileName)));
    }

    [Fact]
    public void ALockFileLeftByAKilledProcessBlocksNothing()
    {
        using var dir = new TempDirectory();
        string path = dir.File(RunLock.FileName);
        // flock(1) holds the same kind of lock .NET takes for FileShare.None; kill it and the kernel drops it. --no-fork makes
        // the process we wait for the only holder: a forked sleep could still hold the lock for a moment after flock has exited.
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--no-fork", path, "sleep", "600"]) { UseShellExecute = false })!;
        WaitUntilHeld(dir.Path);

        holder.Kill();
        holder.WaitForExit();

        using var taken = RunLock.Acquire(dir.Path);
        Assert.True(File.Exists(path));
    }

    /// <summary>Waits until acquiring fails because the other process holds the lock (it takes the lock just after creating the file).</summary>
    private static void WaitUntilHeld(string directory)
    {
        for (int attempt = 0; attempt < 6000; attempt++)
        {
            try
            {
                RunLock.Acquire(directory).Dispose();
            }
            catch (IOException)
            {
                return;
            }
            Thread.Sleep(10);
        }
        Assert.Fail("flock never took the lock");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("file/under")]
    public void ADirectoryThatCannotBeWrittenIsRefusedSayingWhy(string relative)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("file"), "keep");
        string target = Path.Combine(dir.Path, relative);

        var e = Assert.Throws<IOException>(() => RunLock.Acquire(target));

        Assert.Contains(dir.File("file") + " is a file", e.Message);
        Assert.Equal("keep", File.ReadAllText(dir.File("file")));
    }
}
