using System.Diagnostics;

namespace Nabla.Onnx.Tests;

/// <summary>Runs Python code with Debian's <c>/usr/bin/python3</c> (which has python3-onnx and python3-torch).</summary>
internal static class PythonOnnx
{
    public const string Python = "/usr/bin/python3";

    /// <summary>True when <see cref="Python"/> imports <paramref name="module"/>.</summary>
    public static bool Has(string module)
    {
        if (!File.Exists(Python))
            return false;
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", $"import {module}"]) { RedirectStandardError = true, UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; fails the test unless it exits 0 within two minutes; returns its standard output.</summary>
    public static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("python3 did not finish in 120 s.");
        }
        Assert.True(process.ExitCode == 0, $"python3 exited {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}

/// <summary>
/// A theory that needs Debian's python3-onnx: skipped with a message without it on a developer machine, run (and
/// failing clearly) when CI is set, since .ci/run installs it.
/// </summary>
public sealed class PythonOnnxTheoryAttribute : TheoryAttribute
{
    private static readonly Lazy<bool> Available = new(() => PythonOnnx.Has("onnx"));

    public PythonOnnxTheoryAttribute()
    {
        if (!Available.Value && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "python3-onnx is not installed (apt-get install python3-onnx); set CI=1 to make this a failure.";
    }

    /// <summary>Set when the cases also need Debian's dataset-fashion-mnist, skipped likewise without it.</summary>
    public bool NeedsFashionMnist
    {
        get;
        init
        {
            field = value;
            if (value && Skip is null && new FashionMnistTheoryAttribute().Skip is { } skip)
                Skip = skip;
        }
    }
}
