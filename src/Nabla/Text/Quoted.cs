using System.Globalization;
using System.Text;

namespace Nabla.Text;

/// <summary>
/// Shows text taken from a file (a CSV field, a class label, a tensor name, a metadata value) inside
/// an error message, where the file may be hostile: the result is bounded in length and holds no
/// character a terminal or a log viewer would act on.
/// </summary>
/// <remarks>
/// Control characters (C0 such as ESC, CR and LF, DEL, C1), format characters (among them the
/// Unicode bidirectional overrides and isolates U+202A–U+202E and U+2066–U+2069, zero-width
/// characters and tag characters), line and paragraph separators and unpaired surrogates are written
/// as <c>\uXXXX</c> (<c>\UXXXXXXXX</c> beyond the BMP). Text longer than the bound is cut, never
/// inside a surrogate pair or an escape, and followed by an ellipsis and its original length in
/// characters. The result is for people to read, not a reversible encoding: quotes and backslashes
/// in the text are kept as they are.
/// </remarks>
public static class Quoted
{
    /// <summary>The default bound of <see cref="Value"/>: characters shown between the quotes.</summary>
    public const int DefaultMaxLength = 80;

    /// <summary>The default bound of <see cref="Message"/>, in characters shown.</summary>
    public const int DefaultMaxMessageLength = 400;

    /// <summary>
    /// <paramref name="text"/> in single quotes, escaped, with at most <paramref name="maxLength"/>
    /// characters between them: <c>'cat'</c>, <c>'a\u001b[31m'</c>, <c>'nnnn…' (5000 characters)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    public static string Value(string text, int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var result = new StringBuilder("'");
        bool cut = AppendEscaped(result, text, maxLength);
        result.Append(cut ? $"…' ({text.Length.ToString(CultureInfo.InvariantCulture)} characters)" : "'");
        return result.ToString();
    }

    /// <summary>
    /// <paramref name="values"/> each as <see cref="Value"/>, comma-separated, as many as fit in
    /// <paramref name="budget"/> characters (always the first) followed by <c>and N more</c>:
    /// <c>'cat', 'dog' and 9998 more</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is below 1.</exception>
    public static string List(IReadOnlyCollection<string> values, int budget = 240)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        var result = new StringBuilder();
        int shown = 0;
        foreach (var value in values)
        {
            string quoted = Value(value);
            if (shown > 0 && result.Length + 2 + quoted.Length > budget)
                break;
            result.Append(shown > 0 ? ", " : "").Append(quoted);
            shown++;
        }
        if (shown < values.Count)
            result.Append($" and {(values.Count - shown).ToString(CultureInfo.InvariantCulture)} more");
        return result.ToString();
    }

    /// <summary>
    /// Another component's error message that may repeat text from a file (a JSON parser's, say),
    /// escaped like <see cref="Value"/> but without quotes, and cut after <paramref name="maxLength"/> characters.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    public static string Message(string text, int maxLength = DefaultMaxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var result = new StringBuilder();
        if (AppendEscaped(result, text, maxLength))
            result.Append($"… ({text.Length.ToString(CultureInfo.InvariantCulture)} characters)");
        return result.ToString();
    }

    /// <summary>Appends <paramref name="text"/> escaped until <paramref name="maxLength"/> characters are written; true when it had to stop early.</summary>
    private static bool AppendEscaped(StringBuilder result, string text, int maxLength)
    {
        int start = result.Length;
        for (int i = 0; i < text.Length;)
        {
            string? escape = null;
            int width = 1;
            if (Rune.TryGetRuneAt(text, i, out var rune))
            {
                width = rune.Utf16SequenceLength;
                if (IsUnsafe(Rune.GetUnicodeCategory(rune)))
                    escape = rune.IsBmp ? $"\\u{rune.Value:x4}" : $"\\U{rune.Value:x8}";
            }
            else
                escape = $"\\u{(int)text[i]:x4}"; // an unpaired surrogate
            int added = escape?.Length ?? width;
            if (result.Length - start + added > maxLength)
                return true;
            if (escape is null)
                result.Append(text, i, width);
            else
                result.Append(escape);
            i += width;
        }
        return false;
    }

    private static bool IsUnsafe(UnicodeCategory category) => category is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or
        UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
