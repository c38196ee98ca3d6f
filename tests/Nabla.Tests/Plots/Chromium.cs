using System.Diagnostics;

namespace Nabla.Tests.Plots;

/// <summary>Runs Debian's headless Chromium on a local file, isolated from any user profile and the network.</summary>
internal static class Chromium
{
    /// <summary>The Chromium executable on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (string name in (string[])["chromium", "chromium-browser"])
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path))
                    return path;
            }
        return null;
    }

    /// <summary>Runs Chromium headless with <paramref name="arguments"/> after the isolation flags; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string executable, IEnumerable<string> arguments, TimeSpan timeout)
    {
        string profile = Directory.CreateTempSubdirectory("nabla-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}"])
                start.ArgumentList.Add(a);
            foreach (string a in arguments)
                start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{executable} did not finish within {timeout.TotalSeconds:0} s. stderr so far:\n{(stderr.IsCompleted ? stderr.Result : "")}");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The installed Chromium; when the test runs at all (see <c>ChromiumFact</c>) it must be there.</summary>
    public static string Require() => Find()
        ?? throw new InvalidOperationException("CI is set but chromium is not installed: .ci/run must `apt-get install -y chromium` before the tests.");

    /// <summary>
    /// Screenshots the page at <paramref name="html"/> into <paramref name="png"/>, asserting that Chromium
    /// succeeds, logs no console message or uncaught error, and writes a real PNG; returns the page's DOM.
    /// </summary>
    public static string RenderAndCheck(string html, string png, string windowSize)
    {
        string chromium = Require();
        string url = new Uri(html).AbsoluteUri;
        File.Delete(png);
        var shot = Run(chromium, ["--enable-logging=stderr", "--v=0", "--hide-scrollbars", $"--screenshot={png}", $"--window-size={windowSize}", url], Timeout);
        Assert.True(shot.ExitCode == 0, $"chromium exited with {shot.ExitCode}:\n{shot.Stderr}");
        var consoleLines = shot.Stderr.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)).ToList();
        Assert.True(consoleLines.Count == 0, "console messages while rendering the report:\n" + string.Join('\n', consoleLines));
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"screenshot {png} is only {bytes.Length} bytes");
        Assert.Equal([137, 80, 78, 71], bytes[..4]);

        var dom = Run(chromium, ["--dump-dom", url], Timeout);
        Assert.True(dom.ExitCode == 0, $"chromium --dump-dom exited with {dom.ExitCode}:\n{dom.Stderr}");
        return dom.Stdout;
    }
}
