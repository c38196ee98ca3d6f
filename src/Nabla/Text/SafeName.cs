namespace Nabla.Text;

/// <summary>
/// What a name that Nabla keeps and prints (a class label, a feature name) may hold: at most
/// <see cref="MaxLength"/> characters, none that a terminal would act on or a model file could not store.
/// </summary>
public static class SafeName
{
    /// <summary>The longest name kept.</summary>
    public const int MaxLength = 200;

    /// <summary>
    /// The index of the first character a name may not hold, or -1: a control character (C0, DEL, C1), a line or
    /// paragraph separator, a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069), or an
    /// unpaired surrogate, which no model file can store. Other format characters (the zero-width joiners that
    /// some scripts and emoji need) are allowed.
    /// </summary>
    public static int FirstForbidden(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                i++;
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
                return i;
        }
        return -1;
    }

    /// <summary>Why <paramref name="name"/> cannot be kept, or null when it can.</summary>
    public static string? Problem(string name) =>
        name.Length > MaxLength ? $"expected at most {MaxLength} characters; received {Quoted.Value(name)}"
        : FirstForbidden(name) is var at and >= 0
            ? $"expected no control characters (such as ESC, CR or LF), bidirectional overrides or unpaired surrogates; received {Quoted.Value(name)}, with U+{(int)name[at]:X4} at character {at + 1}"
            : null;
}
