using System.Diagnostics;

namespace Nabla.Cli.Tests;

/// <summary>Runs Debian's <c>/usr/bin/python3</c> (with torch, sklearn) on a script, for the interoperability tests.</summary>
internal static class Python
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> from the repository root; returns stdout, failing the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(TorchFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "python did not finish in 120 s");
        Assert.True(process.ExitCode == 0, $"python exited with {process.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>The directory holding Nabla.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"No Nabla.slnx above {AppContext.BaseDirectory}.");
    }
}
