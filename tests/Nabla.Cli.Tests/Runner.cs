using System.Diagnostics;

namespace Nabla.Cli.Tests;

/// <summary>What one run of <c>nabla</c> produced.</summary>
internal sealed record RunResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs <c>nabla</c>: in process through the same entry point as the executable, or as the real built executable.</summary>
internal static class Runner
{
    public static RunResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error, interactive: false);
        return new RunResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>dotnet Nabla.Cli.dll ARGS</c> as a child process, with CI set so no live display is used.</summary>
    public static RunResult RunProcess(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Nabla.Cli.dll"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["CI"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nabla {string.Join(' ', args)} did not finish in 60 s.");
        }
        return new RunResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fresh directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nabla-cli-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
