using System.CommandLine;
using System.Globalization;
using Nabla.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Nabla.Cli;

/// <summary>
/// A YAML file of option values, with the options' own names as keys (<c>learning-rate: 0.5</c>;
/// <c>learning_rate</c> works too; lists such as <c>layers: [256, 64]</c>; <c>nesterov: true</c>).
/// It is turned into command-line tokens and parsed by the command itself, so the file accepts
/// exactly what the flags accept and reports errors the same way.
/// </summary>
/// <remarks>
/// The file is read as a stream of parser events, never as a tree: one mapping of names to values or flat lists,
/// and anything nested deeper is refused where it starts, so no file can make the reader recurse (100,000 opening
/// brackets once overflowed the stack). Files over <see cref="MaxBytes"/> are refused unread.
/// </remarks>
internal static class ConfigFile
{
    /// <summary>The largest config file read: option values fit in far less.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>Parses <paramref name="path"/> against <paramref name="command"/>'s options.</summary>
    /// <exception cref="NablaInputException">The file is missing, too large, malformed YAML or not a mapping of names to values or lists; the message gives the line and column.</exception>
    /// <exception cref="UsageException">A key is not an option of the command, or a value is invalid.</exception>
    public static ParseResult Parse(string path, Command command)
    {
        var tokens = ToTokens(path, command);
        var result = command.Parse(tokens);
        if (result.Errors.Count > 0)
            // The parser's messages repeat the values, which come from the file: escaped and cut.
            throw new UsageException($"{path}: {Quoted.Message(string.Join(" ", result.Errors.Select(e => e.Message)))}");
        return result;
    }

    private static List<string> ToTokens(string path, Command command)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new NablaInputException($"{path}: config file not found; expected a YAML file of option values such as 'epochs: 30'.", path);
        if (file.Length > MaxBytes)
            throw new NablaInputException($"{path}: {file.Length:N0} bytes; a config file of option values holds at most {MaxBytes:N0}.", path);
        try
        {
            using var reader = new StreamReader(path);
            var parser = new Parser(reader);
            try
            {
                return ToTokens(parser, path, command);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException && e.Source == "YamlDotNet")
            {
                // YamlDotNet throws these on some malformed files ('layers: [16{, 8]', a tag '!!str!!str', found by
                // ConfigFilePropertyTests): the place is the end of the last event it read.
                throw Malformed(path, parser.Current?.End ?? Mark.Empty, "malformed YAML after this point", e);
            }
        }
        catch (YamlException e)
        {
            throw Malformed(path, e.Start, $"malformed YAML: {Quoted.Message(e.Message.TrimEnd('.'))}", e);
        }
    }

    private static List<string> ToTokens(Parser parser, string path, Command command)
    {
        var tokens = new List<string>();
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
            return tokens;
        parser.Consume<DocumentStart>();
        if (parser.TryConsume<Scalar>(out var empty) && string.IsNullOrEmpty(empty.Value))
            return tokens; // "---" alone: an empty document
        if (empty is not null || !parser.TryConsume<MappingStart>(out _))
            throw Malformed(path, empty?.Start ?? parser.Current!.Start,
                $"expected a mapping of option names to values (such as 'epochs: 30'); received {Describe(empty ?? parser.Current!)}", null);
        var seen = new Dictionary<Option, Mark>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var key))
                throw Malformed(path, parser.Current!.Start, $"expected an option name; received {Describe(parser.Current!)}", null);
            string name = key.Value;
            var option = command.Options.FirstOrDefault(o => Matches(o, name))
                ?? throw new UsageException(
                    $"{path}: line {key.Start.Line}: unknown key {Quoted.Value(name)}; expected one of: {string.Join(", ", command.Options.Where(o => o.Name != "--config" && !o.Hidden).Select(o => o.Name.TrimStart('-')))}.");
            if (seen.TryGetValue(option, out var first))
                throw Malformed(path, key.Start, $"{Quoted.Value(name)} is given twice (first on line {first.Line})", null);
            seen[option] = key.Start;
            ReadValue(parser, path, name, option, tokens);
        }
        parser.Consume<DocumentEnd>();
        if (!parser.Accept<StreamEnd>(out _))
            throw Malformed(path, parser.Current!.Start, "expected one YAML document; received another", null);
        return tokens;
    }

    /// <summary>Adds the tokens of <paramref name="option"/>'s value: a scalar, or a flat list of scalars.</summary>
    private static void ReadValue(Parser parser, string path, string key, Option option, List<string> tokens)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            if (option.ValueType != typeof(bool))
            {
                tokens.Add(option.Name);
                tokens.Add(scalar.Value);
            }
            else if (!bool.TryParse(scalar.Value, out bool flag))
                throw new UsageException($"{path}: line {scalar.Start.Line}: {Quoted.Value(key)} expects true or false; received {Quoted.Value(scalar.Value)}.");
            else if (flag)
                tokens.Add(option.Name);
            return;
        }
        if (!parser.TryConsume<SequenceStart>(out _))
            throw Malformed(path, parser.Current!.Start, $"{Quoted.Value(key)} expects a value or a list of values; received {Describe(parser.Current!)}", null);
        var items = new List<string>();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var item))
                throw Malformed(path, parser.Current!.Start, $"{Quoted.Value(key)} expects a list of values; received {Describe(parser.Current!)} inside it", null);
            items.Add(item.Value);
        }
        tokens.Add(option.Name);
        tokens.Add("[" + string.Join(",", items) + "]");
    }

    private static string Describe(ParsingEvent e) => e switch
    {
        MappingStart => "a mapping",
        SequenceStart => "a list",
        AnchorAlias => "an alias (*name), which a config file does not use",
        Scalar s => $"the value {Quoted.Value(s.Value)}",
        DocumentEnd or StreamEnd => "the end of the file",
        _ => Quoted.Value(e.GetType().Name),
    };

    private static NablaInputException Malformed(string path, Mark at, string what, Exception? inner) =>
        new($"{path}: line {at.Line}, column {at.Column}: {what}.", path, inner);

    private static bool Matches(Option option, string key)
    {
        string normalized = "--" + key.Trim().TrimStart('-').Replace('_', '-').ToLower(CultureInfo.InvariantCulture);
        return option.Name == normalized || option.Aliases.Any(a => a.Replace('_', '-') == normalized);
    }
}
