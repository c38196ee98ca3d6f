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
}
