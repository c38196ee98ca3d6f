using System.Diagnostics;

namespace Nabla.Cli.Tests;

/// <summary>
/// A fact that needs Debian's python3-torch (<c>/usr/bin/python3</c> that imports torch). Without it the test is
/// skipped on a developer machine, but runs (and fails with a clear message) when CI is set, since .ci/run installs it.
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    /// <summary>The Python that has Debian's torch.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(Python))
            return false;
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    public TorchFactAttribute()
    {
        if (!Available.Value && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "PyTorch is not installed (apt-get install python3-torch); set CI=1 to make this a failure.";
    }
}
