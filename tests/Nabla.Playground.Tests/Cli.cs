using Nabla.Cli;

namespace Nabla.Playground.Tests;

/// <summary>What one in-process run of <c>nabla</c> produced.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs <c>nabla</c> in process, through the same entry point as the executable.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error, interactive: false);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
