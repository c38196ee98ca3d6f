using System.Globalization;
using System.Text;

namespace Nabla.Tests.Text;

/// <summary>Checks that an error message is fit to print on a terminal, whatever file caused it.</summary>
internal static class MessageAssert
{
    /// <summary>The longest message a reader may give, with a path of ordinary length.</summary>
    public const int MaxLength = 1000;

    /// <summary>Shorter than <see cref="MaxLength"/>, and no control, format (bidi), separator or unpaired surrogate character.</summary>
    public static void FitsATerminal(Exception e)
    {
        string message = e.Message;
        Assert.True(message.Length < MaxLength, $"The message is {message.Length} characters long: {message[..Math.Min(message.Length, 300)]}…");
        for (int i = 0; i < message.Length; i++)
        {
            Assert.True(Rune.TryGetRuneAt(message, i, out var rune), $"An unpaired surrogate at character {i} of: {message}");
            Assert.False(Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator,
                $"U+{rune.Value:X4} at character {i} of: {message.Replace('\u001b', '?')}");
            i += rune.Utf16SequenceLength - 1;
        }
    }
}
