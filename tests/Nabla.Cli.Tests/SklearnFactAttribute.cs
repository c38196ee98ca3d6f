using System.Diagnostics;

namespace Nabla.Cli.Tests;

/// <summary>
/// A fact that needs Debian's python3-sklearn (<c>/usr/bin/python3</c> that imports sklearn). Without it the test is
/// skipped on a developer machine, but runs (and fails with a clear message) when CI is set, since .ci/run installs it.
/// </summary>
public sealed class SklearnFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(TorchFactAttribute.Python))
            return false;
        using var process = Process.Start(new ProcessStartInfo(TorchFactAttribute.Python, ["-c", "import sklearn"]) { RedirectStandardError = true, UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    public SklearnFactAttribute()
    {
        if (!Available.Value && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "scikit-learn is not installed (apt-get install python3-sklearn); set CI=1 to make this a failure.";
    }
}
