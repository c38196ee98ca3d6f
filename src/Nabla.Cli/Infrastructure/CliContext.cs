using Spectre.Console;

namespace Nabla.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, messages to <see cref="Error"/>.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool interactive)
{
    /// <summary>Standard output: results, tables, CSV and JSON.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Standard error: errors and warnings.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>True when live progress bars and colours may be used.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>A Spectre console over <see cref="Out"/>, for tables and progress.</summary>
    public IAnsiConsole Console { get; } = Terminal.Create(output, interactive);
}
