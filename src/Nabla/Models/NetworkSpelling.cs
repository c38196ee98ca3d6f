using System.Globalization;
using Nabla.Layers;
using Nabla.Layers.Kinds;

namespace Nabla.Models;

/// <summary>
/// Reads a network written as a list of PyTorch module calls, as <c>--network</c> and YAML configs take it:
/// <c>"Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10)"</c>.
/// A module's input size may be left out (PyTorch's lazy modules: <c>Linear(784)</c> is <c>LazyLinear(784)</c>)
/// or given (<c>Linear(6272, 784)</c>), and is then checked against the shape the layer receives. Parentheses
/// may be left off a module without arguments; <c>nn.</c> and <c>Lazy</c> prefixes are accepted.
/// </summary>
public static class NetworkSpelling
{
    /// <summary>The layer specs <paramref name="text"/> spells, in order (not yet resolved against an input shape).</summary>
    /// <exception cref="ArgumentException">The text does not parse, names an unknown module, or gives a module arguments it does not take; the message names the module.</exception>
    public static IReadOnlyList<LayerSpec> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text);
        var layers = new List<LayerSpec>();
        do
        {
            reader.SkipSpace();
            int start = reader.Position;
            string name = reader.Identifier("a module name such as Linear or Conv2d");
            bool lazy = false;
            foreach (var prefix in (string[])["torch.nn.", "nn."])
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                    name = name[prefix.Length..];
            if (name.StartsWith("Lazy", StringComparison.Ordinal) && name.Length > 4)
                (name, lazy) = (name[4..], true);
            var positional = new List<OptionValue>();
            var keywords = new List<KeyValuePair<string, OptionValue>>();
            reader.SkipSpace();
            if (reader.Take('('))
                ReadArguments(reader, positional, keywords);
            string written = reader.Text[start..reader.Position].Trim();
            try
            {
                var kind = LayerKinds.Get(name);
                if (lazy && kind.InferredOptions == 0)
                    throw new ArgumentException($"Lazy{kind.Name} does not exist: {kind.Name} infers nothing from its input.");
                layers.Add(lazy ? LazySpell(kind, positional, keywords) : kind.Spell(positional, keywords));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Module {layers.Count + 1} ('{Shorten(written)}'): {e.Message}", e);
            }
            reader.SkipSpace();
        }
        while (reader.Take(','));
        if (!reader.AtEnd)
            throw new ArgumentException($"Expected ',' or the end of the network after module {layers.Count}; received '{Shorten(reader.Rest)}'.");
        return layers;
    }

    /// <summary>A <c>Lazy…</c> module's positional arguments always fill the lazy signature.</summary>
    private static LayerSpec LazySpell(LayerKind kind, List<OptionValue> positional, List<KeyValuePair<string, OptionValue>> keywords)
    {
        var named = positional.Select((value, i) => kind.InferredOptions + i < kind.Options.Count
            ? new KeyValuePair<string, OptionValue>(kind.Options[kind.InferredOptions + i].Name, value)
            : throw new ArgumentException($"Lazy{kind.Name} takes at most {kind.Options.Count - kind.InferredOptions} arguments; received {positional.Count}."));
        return kind.Spell([], [.. named, .. keywords]);
    }

    private static void ReadArguments(Reader reader, List<OptionValue> positional, List<KeyValuePair<string, OptionValue>> keywords)
    {
        reader.SkipSpace();
        if (reader.Take(')'))
            return;
        do
        {
            reader.SkipSpace();
            int mark = reader.Position;
            string? keyword = null;
            if (char.IsLetter(reader.Peek) || reader.Peek == '_')
            {
                string word = reader.Identifier("an argument");
                reader.SkipSpace();
                if (reader.Take('='))
                    keyword = word;
                else
                    reader.Position = mark;
            }
            var value = ReadValue(reader);
            if (keyword is not null)
                keywords.Add(new(keyword, value));
            else if (keywords.Count > 0)
                throw new ArgumentException($"A positional argument follows a keyword argument at '{Shorten(reader.Text[mark..])}'.");
            else
                positional.Add(value);
            reader.SkipSpace();
        }
        while (reader.Take(','));
        if (!reader.Take(')'))
            throw new ArgumentException($"Expected ',' or ')' in the arguments; received '{Shorten(reader.Rest)}'.");
    }

    private static OptionValue ReadValue(Reader reader)
    {
        reader.SkipSpace();
        if (reader.Take('('))
        {
            var first = ReadValue(reader);
            reader.SkipSpace();
            if (!reader.Take(','))
                throw new ArgumentException($"Expected a pair (height, width); received '{Shorten(reader.Rest)}'.");
            var second = ReadValue(reader);
            reader.SkipSpace();
            if (!reader.Take(')') || first.Number is not { } h || second.Number is not { } w || h != Math.Floor(h) || w != Math.Floor(w)
                || Math.Abs(h) > int.MaxValue || Math.Abs(w) > int.MaxValue)
                throw new ArgumentException("Expected a pair of whole numbers (height, width).");
            return OptionValue.Of((int)h, (int)w);
        }
        if (char.IsLetter(reader.Peek))
        {
            string word = reader.Identifier("a value");
            return word switch
            {
                "True" or "true" => OptionValue.Of(true),
                "False" or "false" => OptionValue.Of(false),
                _ => throw new ArgumentException($"Expected a number, True, False or a pair; received '{Shorten(word)}'."),
            };
        }
        int start = reader.Position;
        while (!reader.AtEnd && (char.IsAsciiDigit(reader.Peek) || reader.Peek is '.' or '-' or '+' or 'e' or 'E'))
            reader.Position++;
        string number = reader.Text[start..reader.Position];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? OptionValue.Of(v)
            : throw new ArgumentException($"Expected a number, True, False or a pair; received '{Shorten(number.Length > 0 ? number : reader.Rest)}'.");
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    /// <summary>A cursor over the text.</summary>
    private sealed class Reader(string text)
    {
        public string Text { get; } = text;

        public int Position { get; set; }

        public bool AtEnd => Position >= Text.Length;

        public char Peek => AtEnd ? '\0' : Text[Position];

        public string Rest => Text[Position..];

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(Text[Position]))
                Position++;
        }

        public bool Take(char c)
        {
            if (Peek != c)
                return false;
            Position++;
            return true;
        }

        public string Identifier(string what)
        {
            int start = Position;
            while (!AtEnd && (char.IsLetterOrDigit(Peek) || Peek is '_' or '.'))
                Position++;
            return Position > start
                ? Text[start..Position]
                : throw new ArgumentException($"Expected {what}; received '{Shorten(AtEnd ? "the end" : Rest)}'.");
        }
    }
}
