using Spectre.Console;

namespace Nabla.Cli;

/// <summary>What the output is connected to, and consoles that write to it.</summary>
internal static class Terminal
{
    /// <summary>True when stdout is a terminal and no CI system is running us: live progress bars are welcome.</summary>
    public static bool IsInteractive() =>
        !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>A Spectre console writing to <paramref name="writer"/>: colours and live displays only when <paramref name="interactive"/>.</summary>
    public static IAnsiConsole Create(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!interactive)
            console.Profile.Width = 120;
        return console;
    }
}
