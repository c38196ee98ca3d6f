using System.CommandLine;

namespace Nabla.Cli;

/// <summary>Option values from the command line, falling back to a config file, then to the defaults: flags override the file.</summary>
internal sealed class OptionSource(ParseResult commandLine, ParseResult? config)
{
    /// <summary>The value of <paramref name="option"/>.</summary>
    public T Get<T>(Option<T> option) =>
        Given(commandLine, option) || config is null || !Given(config, option) ? commandLine.GetValue(option)! : config.GetValue(option)!;

    /// <summary>True when the user set <paramref name="option"/>, on the command line or in the config file.</summary>
    public bool IsSet(Option option) => Given(commandLine, option) || (config is not null && Given(config, option));

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
