namespace Nabla.Cli;

/// <summary>The <c>nabla</c> executable.</summary>
public static class Program
{
    /// <summary>Runs the command line <paramref name="args"/> and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error, Terminal.IsInteractive());
}
