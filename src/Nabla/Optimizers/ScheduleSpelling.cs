using System.Globalization;

namespace Nabla.Optimizers;

/// <summary>
/// Reads a learning-rate schedule written as <c>--lr-schedule</c> and YAML configs take it: a name, optionally with
/// arguments in parentheses, positional or by name: <c>constant</c>; <c>step(every, gamma)</c> (<c>step</c> is
/// <c>step(10, 0.1)</c>); <c>exponential(gamma)</c> (0.95); <c>cosine(min)</c> (0); <c>plateau(factor, patience)</c>
/// (0.1, 10); <c>onecycle(warmup)</c> (0.3, the fraction of the steps spent rising).
/// </summary>
public static class ScheduleSpelling
{
    /// <summary>The schedule names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["constant", "step", "exponential", "cosine", "plateau", "onecycle"];

    /// <summary>The schedule <paramref name="text"/> spells.</summary>
    /// <param name="text">A name such as <c>cosine</c>, or one with arguments such as <c>step(5, 0.5)</c> or <c>plateau(patience=3)</c>.</param>
    /// <param name="maximize">For <c>plateau</c>: the monitored value is an accuracy, so higher is better.</param>
    /// <exception cref="ArgumentException">An unknown name, an argument the schedule does not take, or a value out of its range; the message says which.</exception>
    public static LearningRateSchedule Parse(string text, bool maximize = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        int open = trimmed.IndexOf('(', StringComparison.Ordinal);
        string name = (open < 0 ? trimmed : trimmed[..open]).Trim().ToLowerInvariant();
        var arguments = open < 0 ? new Arguments(name, [], []) : ReadArguments(name, trimmed[open..]);
        try
        {
            var schedule = name switch
            {
                "constant" => arguments.None(LearningRateSchedule.Constant),
                "step" => LearningRateSchedule.Step(arguments.Integer(0, "every", 10), arguments.Real(1, "gamma", 0.1)),
                "exponential" => LearningRateSchedule.Exponential(arguments.Real(0, "gamma", 0.95)),
                "cosine" => new CosineAnnealingSchedule(arguments.Real(0, "min", 0)),
                "plateau" => new PlateauSchedule(arguments.Real(0, "factor", 0.1), arguments.Integer(1, "patience", 10), maximize: maximize),
                "onecycle" => new OneCycleSchedule(arguments.Real(0, "warmup", 0.3)),
                _ => throw new ArgumentException($"Unknown learning-rate schedule '{Shorten(name)}'; expected one of {string.Join(", ", Names)}."),
            };
            arguments.CheckAllUsed();
            return schedule;
        }
        catch (ArgumentOutOfRangeException e)
        {
            // The constructors' own messages name the parameter and the range; drop the framework's "(Parameter …)" suffix.
            throw new ArgumentException($"{name}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    private static Arguments ReadArguments(string name, string text)
    {
        if (!text.EndsWith(')'))
            throw new ArgumentException($"{name}: expected its arguments to end with ')'; received '{Shorten(text)}'.");
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        string inner = text[1..^1];
        if (inner.Trim().Length == 0)
            return new Arguments(name, positional, named);
        foreach (string part in inner.Split(','))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                if (named.Count > 0)
                    throw new ArgumentException($"{name}: a positional argument ('{Shorten(part.Trim())}') follows a named one.");
                positional.Add(part.Trim());
            }
            else if (!named.TryAdd(part[..equals].Trim().ToLowerInvariant(), part[(equals + 1)..].Trim()))
                throw new ArgumentException($"{name}: '{Shorten(part[..equals].Trim())}' is given twice.");
        }
        return new Arguments(name, positional, named);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>A schedule's arguments, each taken once by position or by name; what is left over is an error.</summary>
    private sealed class Arguments(string schedule, List<string> positional, Dictionary<string, string> named)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);
        private int _positionalUsed;

        public LearningRateSchedule None(LearningRateSchedule result) =>
            positional.Count + named.Count == 0 ? result : throw new ArgumentException($"{schedule} takes no arguments.");

        public double Real(int position, string name, double fallback) =>
            Text(position, name) is { } text
                ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                    ? value
                    : throw new ArgumentException($"{schedule}: {name} must be a finite number; received '{Shorten(text)}'.")
                : fallback;

        public int Integer(int position, string name, int fallback) =>
            Text(position, name) is { } text
                ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
                    ? value
                    : throw new ArgumentException($"{schedule}: {name} must be a whole number; received '{Shorten(text)}'.")
                : fallback;

        public void CheckAllUsed()
        {
            if (positional.Count > _positionalUsed)
                throw new ArgumentException($"{schedule} takes at most {_positionalUsed} arguments; received {positional.Count}.");
            if (named.Keys.FirstOrDefault(k => !_used.Contains(k)) is { } unknown)
                throw new ArgumentException($"{schedule} has no argument '{Shorten(unknown)}'; it takes {(_used.Count == 0 ? "none" : string.Join(", ", _used))}.");
        }

        private string? Text(int position, string name)
        {
            _used.Add(name);
            _positionalUsed = Math.Max(_positionalUsed, position + 1);
            if (named.TryGetValue(name, out var value))
            {
                if (position < positional.Count)
                    throw new ArgumentException($"{schedule}: {name} is given both by position and by name.");
                return value;
            }
            return position < positional.Count ? positional[position] : null;
        }
    }
}
