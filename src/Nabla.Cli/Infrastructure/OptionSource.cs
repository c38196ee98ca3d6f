using System.CommandLine;

namespace Nabla.Cli;

/// <summary>
/// Option values from the command line, falling back to a config file, then (for a resumed run) to the
/// settings stored in its checkpoint, then to the defaults: the first source that sets an option wins.
/// </summary>
internal sealed class OptionSource
{
    private readonly ParseResult[] _sources;

    /// <summary>The command line, then the config file if there is one.</summary>
    public OptionSource(ParseResult commandLine, ParseResult? config)
        : this(config is null ? [commandLine] : [commandLine, config])
    {
    }

    private OptionSource(ParseResult[] sources) => _sources = sources;

    /// <summary>These sources, then <paramref name="fallback"/>.</summary>
    public OptionSource Then(ParseResult fallback) => new([.. _sources, fallback]);

    /// <summary>The value of <paramref name="option"/>.</summary>
    public T Get<T>(Option<T> option) => (_sources.FirstOrDefault(s => Given(s, option)) ?? _sources[0]).GetValue(option)!;

    /// <summary>The value of <paramref name="option"/>, untyped (null when it has no value or default).</summary>
    public object? Value(Option option) =>
        (_sources.FirstOrDefault(s => Given(s, option)) ?? _sources[0]).GetResult(option)?.GetValueOrDefault<object?>();

    /// <summary>True when a source sets <paramref name="option"/>.</summary>
    public bool IsSet(Option option) => _sources.Any(s => Given(s, option));

    /// <summary>The option as command-line tokens (<c>["--layers", "256,64"]</c>), from the source that sets it; empty when none does.</summary>
    public IReadOnlyList<string> Tokens(Option option) =>
        _sources.FirstOrDefault(s => Given(s, option))?.GetResult(option) is { } result
            ? [option.Name, .. result.Tokens.Select(t => t.Value)]
            : [];

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
