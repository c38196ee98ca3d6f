using System.CommandLine;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Nabla.Cli;

/// <summary>
/// A YAML file of option values, with the options' own names as keys (<c>learning-rate: 0.5</c>;
/// <c>learning_rate</c> works too; lists such as <c>layers: [256, 64]</c>; <c>nesterov: true</c>).
/// It is turned into command-line tokens and parsed by the command itself, so the file accepts
/// exactly what the flags accept and reports errors the same way.
/// </summary>
internal static class ConfigFile
{
    /// <summary>Parses <paramref name="path"/> against <paramref name="command"/>'s options.</summary>
    /// <exception cref="NablaInputException">The file is missing or is not a YAML mapping.</exception>
    /// <exception cref="UsageException">A key is not an option of the command, or a value is invalid.</exception>
    public static ParseResult Parse(string path, Command command)
    {
        var tokens = ToTokens(path, command);
        var result = command.Parse(tokens);
        if (result.Errors.Count > 0)
            throw new UsageException($"{path}: {string.Join(" ", result.Errors.Select(e => e.Message))}");
        return result;
    }

    private static List<string> ToTokens(string path, Command command)
    {
        if (!File.Exists(path))
            throw new NablaInputException($"{path}: config file not found; expected a YAML file of option values such as 'epochs: 30'.", path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new NablaInputException($"{path}: line {e.Start.Line}, column {e.Start.Column}: malformed YAML: {e.Message}", path, e);
        }
        if (stream.Documents.Count == 0)
            return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            throw new NablaInputException($"{path}: expected a mapping of option names to values (such as 'epochs: 30'); received a {stream.Documents[0].RootNode.NodeType}.", path);

        var tokens = new List<string>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            var option = command.Options.FirstOrDefault(o => Matches(o, key))
                ?? throw new UsageException(
                    $"{path}: line {keyNode.Start.Line}: unknown key '{key}'; expected one of: {string.Join(", ", command.Options.Where(o => o.Name != "--config" && !o.Hidden).Select(o => o.Name.TrimStart('-')))}.");
            switch (valueNode)
            {
                case YamlScalarNode scalar when option.ValueType == typeof(bool):
                    if (!bool.TryParse(scalar.Value, out bool flag))
                        throw new UsageException($"{path}: line {scalar.Start.Line}: '{key}' expects true or false; received '{scalar.Value}'.");
                    if (flag)
                        tokens.Add(option.Name);
                    break;
                case YamlScalarNode scalar:
                    tokens.Add(option.Name);
                    tokens.Add(scalar.Value ?? "");
                    break;
                case YamlSequenceNode sequence:
                    tokens.Add(option.Name);
                    tokens.Add("[" + string.Join(",", sequence.Children.Select(c => (c as YamlScalarNode)?.Value ?? "?")) + "]");
                    break;
                default:
                    throw new UsageException($"{path}: line {valueNode.Start.Line}: '{key}' expects a value or a list; received a mapping.");
            }
        }
        return tokens;
    }

    private static bool Matches(Option option, string key)
    {
        string normalized = "--" + key.Trim().TrimStart('-').Replace('_', '-').ToLower(CultureInfo.InvariantCulture);
        return option.Name == normalized || option.Aliases.Any(a => a.Replace('_', '-') == normalized);
    }
}
