using System.Diagnostics;

namespace Nabla.Tests.Serialization;

/// <summary>A fact that runs only where <c>/usr/bin/python3</c> can import torch (Debian's python3-torch, which .ci/run installs).</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> Missing = new(Probe);

    public TorchFactAttribute()
    {
        if (Missing.Value is { } reason)
            Skip = reason;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
            return $"{Python} does not exist (apt-get install python3-torch).";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.StandardError.ReadToEnd();
            return process.WaitForExit(120_000) && process.ExitCode == 0 ? null : $"{Python} cannot import torch (apt-get install python3-torch).";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{Python} could not run: {e.Message}";
        }
    }
}
