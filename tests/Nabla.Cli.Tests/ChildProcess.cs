using System.Diagnostics;
using System.Text;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>dotnet Nabla.Cli.dll ARGS</c> running in the background, for tests that signal or kill it part way:
/// its output is collected as it arrives, and the test can wait for a line or a file to appear.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    public ChildProcess(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["CI"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { lock (_out) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_err) _err.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Out { get { lock (_out) return _out.ToString(); } }

    public string Err { get { lock (_err) return _err.ToString(); } }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test (with the output so far) after <paramref name="seconds"/>.</summary>
    public void WaitUntil(Func<bool> condition, string what, int seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited && !condition())
                Assert.Fail($"The process exited ({_process.ExitCode}) before {what}.\n{Out}\n{Err}");
            if (clock.Elapsed.TotalSeconds > seconds)
                Assert.Fail($"Timed out after {seconds} s waiting for {what}.\n{Out}\n{Err}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Sends a POSIX signal (<c>INT</c>, <c>KILL</c>) with the kill command.</summary>
    public void Signal(string name)
    {
        // A background job of a shell without job control starts with SIGINT and SIGQUIT ignored, and its children inherit that.
        if (name == "INT" && Ignored(2))
            Assert.Fail("This test process ignores SIGINT (it was started in the background by a shell without job control), so its children cannot be interrupted with it; run the tests in the foreground or after 'set -m'.");
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>True when this process ignores signal <paramref name="number"/> (the SigIgn mask of /proc/self/status).</summary>
    private static bool Ignored(int number) =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
        && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) >> (number - 1) & 1) == 1;

    /// <summary>Waits for the exit (at most <paramref name="seconds"/>) and returns the exit code.</summary>
    public int WaitForExit(int seconds = 60)
    {
        if (!_process.WaitForExit(seconds * 1000))
            Assert.Fail($"The process did not exit within {seconds} s.\n{Out}\n{Err}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
