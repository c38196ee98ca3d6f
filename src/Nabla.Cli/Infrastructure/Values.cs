using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Nabla.Tensors;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>Parsers and validators for option values, reporting errors that name the option, the value received and what is allowed.</summary>
internal static class Values
{
    /// <summary>
    /// A list of layer sizes, however the shell split it: <c>256,64</c>, <c>[256, 64]</c> (one token),
    /// <c>[256,</c> <c>64]</c> (two tokens) or <c>256 64</c>. <c>[]</c> means no hidden layer.
    /// </summary>
    public static int[]? ParseSizes(ArgumentResult result)
    {
        string text = string.Join(' ', result.Tokens.Select(t => t.Value));
        string inner = text.Trim();
        if (inner.StartsWith('[') != inner.EndsWith(']'))
            return Error(result, text, "unbalanced brackets");
        inner = inner.Trim('[', ']');
        // Commas separate sizes: an empty one between them ("256,,64", "256,") is a mistake, not nothing.
        var commaParts = inner.Split(',');
        if (commaParts.Length > 1 && commaParts.FirstOrDefault(p => p.Trim().Length == 0) is not null)
            return Error(result, text, "a size is missing between commas");
        var parts = inner.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                return Error(result, text, $"{Quoted.Value(parts[i])} is not a positive integer");
        return sizes;

        static int[]? Error(ArgumentResult result, string text, string why)
        {
            result.AddError($"Invalid layer sizes {Quoted.Value(text)} for {OptionName(result)}: {why}. Expected positive integers such as 256,64 or [256, 64].");
            return null;
        }
    }

    /// <summary>A batch size: a positive integer, or <c>full</c> (every sample in one step).</summary>
    public static BatchSize ParseBatchSize(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (string.Equals(text, "full", StringComparison.OrdinalIgnoreCase))
            return new BatchSize(null);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1)
            return new BatchSize(n);
        result.AddError($"Invalid batch size {Quoted.Value(text)} for {OptionName(result)}: expected a positive integer or 'full'.");
        return default;
    }

    /// <summary>A field delimiter: one character (<c>;</c>, <c>|</c>), or <c>tab</c> (also <c>\t</c>); not a quote or a line break.</summary>
    public static char ParseDelimiter(ArgumentResult result)
    {
        string text = string.Join(' ', result.Tokens.Select(t => t.Value));
        char? delimiter = text switch
        {
            "tab" or "\\t" or "\t" => '\t',
            "space" => ' ',
            { Length: 1 } when text[0] is not ('"' or '\r' or '\n') => text[0],
            _ => null,
        };
        if (delimiter is { } d)
            return d;
        result.AddError($"Invalid delimiter {Quoted.Value(text)} for {OptionName(result)}: expected one character such as , or ; (or tab), not a quote or a line break.");
        return ',';
    }

    /// <summary>Column names: <c>a,b,c</c> or <c>[a, b, c]</c> (a YAML list), one or several shell words.</summary>
    public static string[]? ParseNames(ArgumentResult result)
    {
        string text = string.Join(',', result.Tokens.Select(t => t.Value)).Trim();
        if (text.StartsWith('[') && text.EndsWith(']'))
            text = text[1..^1];
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length > 0)
            return names;
        result.AddError($"{OptionName(result)} is empty; expected column names such as a,b,c.");
        return null;
    }

    /// <summary>An image sample's shape: channels, height and width, such as <c>1,28,28</c> or <c>3x32x32</c>.</summary>
    public static SampleShape? ParseShape(ArgumentResult result)
    {
        string text = string.Join(' ', result.Tokens.Select(t => t.Value));
        try
        {
            var shape = SampleShape.Parse(text.Trim().Trim('[', ']', '(', ')'));
            if (shape.IsImage)
                return shape;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            // Reported below, with what is expected.
        }
        result.AddError($"Invalid shape {Quoted.Value(text)} for {OptionName(result)}: expected channels, height and width as positive integers, such as 1,28,28.");
        return null;
    }

    /// <summary>Comma-separated numbers such as <c>1,2</c> or <c>[1, 2]</c>.</summary>
    public static double[] ParseNumbers(string text, string optionName)
    {
        var parts = text.Trim().Trim('[', ']').Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new UsageException($"{optionName} is empty; expected comma-separated numbers such as 1,2.");
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new UsageException($"{optionName}: {Quoted.Value(parts[i])} is not a finite number; expected comma-separated numbers such as 1,2.");
        return values;
    }

    /// <summary>Parses <paramref name="option"/>'s value as a finite number greater than zero.</summary>
    public static Option<T> Positive<T>(this Option<T> option) where T : struct, INumber<T>
    {
        option.CustomParser = r => Number<T>(r, v => v > T.Zero, typeof(T) == typeof(double) ? "a positive number" : "a positive integer");
        return option;
    }

    /// <summary>Parses <paramref name="option"/>'s value as a number in [<paramref name="min"/>, <paramref name="max"/>) (or ] when <paramref name="maxInclusive"/>).</summary>
    public static Option<double> Within(this Option<double> option, double min, double max, bool maxInclusive = false)
    {
        option.CustomParser = r => Number<double>(r, v => v >= min && (maxInclusive ? v <= max : v < max),
            double.IsPositiveInfinity(max) ? $"a number ≥ {min}" : $"a number in [{min}, {max}{(maxInclusive ? "]" : ")")}");
        return option;
    }

    /// <summary>
    /// The option's value as a finite <typeparamref name="T"/> satisfying <paramref name="valid"/>; otherwise a parse error
    /// naming the option as typed, the value received and <paramref name="expected"/>.
    /// </summary>
    public static T Number<T>(ArgumentResult result, Func<T, bool> valid, string expected) where T : struct, INumber<T>
    {
        string text = string.Join(' ', result.Tokens.Select(t => t.Value));
        if (T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && T.IsFinite(value) && valid(value))
            return value;
        result.AddError($"Invalid value {Quoted.Value(text)} for {OptionName(result)}: expected {expected}.");
        return default;
    }

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult o ? (o.IdentifierToken?.Value ?? o.Option.Name) : result.Argument.Name;
}
