using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Nabla.Playground.Tests;

/// <summary><c>dotnet Nabla.Cli.dll ARGS</c> in the background, its output collected as it arrives, for tests that signal it.</summary>
internal sealed partial class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    public ChildProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["CI"] = "1";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { lock (_out) _out.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_err) _err.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Out { get { lock (_out) return _out.ToString(); } }

    public string Err { get { lock (_err) return _err.ToString(); } }

    /// <summary>Waits until <paramref name="condition"/> holds; fails (with the output so far) after <paramref name="seconds"/>.</summary>
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

    /// <summary>Sends a POSIX signal (<c>INT</c>, <c>TERM</c>) with the kill command.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Waits for the exit (at most <paramref name="seconds"/>) and returns the exit code.</summary>
    public int WaitForExit(int seconds)
    {
        if (!_process.WaitForExit(seconds * 1000))
            Assert.Fail($"The process did not exit within {seconds} s.\n{Out}\n{Err}");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for <c>nabla playground</c>'s address line and returns the address.</summary>
    public static Uri WaitForAddress(ChildProcess process)
    {
        process.WaitUntil(() => AddressLine().IsMatch(process.Out), "the address line");
        return new Uri(AddressLine().Match(process.Out).Groups[1].Value);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"Nabla playground: (http://\S+)")]
    private static partial Regex AddressLine();
}
