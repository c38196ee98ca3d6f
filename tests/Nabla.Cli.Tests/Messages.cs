using System.Globalization;
using System.Text;

namespace Nabla.Cli.Tests;

/// <summary>Checks on what the command printed to stderr.</summary>
internal static class Messages
{
    /// <summary>The longest stderr a refused command may print (a message, a hint, paths of ordinary length).</summary>
    public const int MaxLength = 1200;

    /// <summary>Shorter than <see cref="MaxLength"/>, and no character a terminal acts on but line feeds.</summary>
    public static void AssertBounded(string err)
    {
        Assert.True(err.Length < MaxLength, $"stderr is {err.Length} characters long: {err[..Math.Min(err.Length, 300)]}…");
        for (int i = 0; i < err.Length; i++)
        {
            Assert.True(Rune.TryGetRuneAt(err, i, out var rune), $"An unpaired surrogate at character {i} of: {err}");
            bool unsafeRune = rune.Value != '\n' && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
            Assert.False(unsafeRune, $"U+{rune.Value:X4} at character {i} of: {err.Replace('\u001b', '?')}");
            i += rune.Utf16SequenceLength - 1;
        }
    }

    /// <summary>Every file under <paramref name="directory"/> by relative path, with its bytes (to show that nothing changed), but the run lock (held, so unreadable, and always empty).</summary>
    public static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != Runs.RunLock.FileName)
            .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes);

    /// <summary>The same files with the same bytes.</summary>
    public static void AssertSame(Dictionary<string, byte[]> before, Dictionary<string, byte[]> after)
    {
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in before)
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed");
    }
}
