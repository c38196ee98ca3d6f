using System.Diagnostics;

namespace Nabla.Cli.Tests;

/// <summary>
/// A tmpfs of a few hundred kilobytes mounted on a fresh directory (root only), to fill up or make read-only; the
/// mount and the directory go on dispose, whatever the test did.
/// </summary>
internal sealed class TinyFileSystem : IDisposable
{
    private readonly TempDirectory _parent = new();
    private int _ballast;

    public TinyFileSystem(long bytes)
    {
        Path = _parent.File("mnt");
        Directory.CreateDirectory(Path);
        Run("mount", "-t", "tmpfs", "-o", $"size={bytes},mode=0755", "tmpfs", Path);
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Bytes a file may still take.</summary>
    public long Free => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Makes the file system read-only (what it holds stays readable).</summary>
    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    /// <summary>Writes a file of zeros outside <paramref name="keep"/> so that exactly <paramref name="free"/> bytes stay free; returns it.</summary>
    public string FillLeaving(long free, string keep)
    {
        string ballast = System.IO.Path.Combine(Path, $"ballast-{_ballast++}");
        Assert.False(ballast.StartsWith(keep, StringComparison.Ordinal));
        long size = Free - free;
        Assert.True(size >= 0, $"only {Free} bytes are free; asked to leave {free}");
        using (var file = new FileStream(ballast, FileMode.CreateNew))
        {
            var zeros = new byte[4096];
            for (long written = 0; written < size; written += zeros.Length)
                file.Write(zeros, 0, (int)Math.Min(zeros.Length, size - written));
        }
        Assert.Equal(free, Free);
        return ballast;
    }

    public void Dispose()
    {
        // Lazily, so a file a failed test left open cannot keep the mount.
        Run("umount", "-l", Path);
        _parent.Dispose();
    }

    /// <summary>True where this process may mount a tmpfs (root, or CAP_SYS_ADMIN): tried once.</summary>
    public static bool CanMount { get; } = TryMount();

    private static bool TryMount()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        using var dir = new TempDirectory();
        if (Execute("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.Path) != 0)
            return false;
        Execute("umount", dir.Path);
        return true;
    }

    private static void Run(params string[] command) => Assert.True(Execute(command) == 0, $"{string.Join(' ', command)} failed");

    private static int Execute(params string[] command)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command[0], command[1..]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

/// <summary>A fact that mounts a <see cref="TinyFileSystem"/>: skipped, saying why, where this process cannot mount one.</summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (!TinyFileSystem.CanMount)
            Skip = "Needs to mount a tmpfs (root or CAP_SYS_ADMIN on Linux, as in CI); this process cannot, so the fault-injection test is skipped.";
    }
}
