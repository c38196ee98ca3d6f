using System.Globalization;

namespace Nabla.Plots;

/// <summary>
/// The colours every chart uses, from the Okabe–Ito palette, which stays distinguishable under
/// the common forms of colour blindness. The order puts the strongest contrasts first (blue,
/// vermillion, green), so two or three series, or two classes, never share a hue family; yellow
/// comes last because thin yellow lines vanish on white.
/// </summary>
public static class Palette
{
    private static readonly string[] Colors =
    [
        "#0072B2", // blue
        "#D55E00", // vermillion
        "#009E73", // bluish green
        "#E69F00", // orange
        "#CC79A7", // reddish purple
        "#56B4E9", // sky blue
        "#000000", // black
        "#F0E442", // yellow
    ];

    /// <summary>The colour of series or class <paramref name="index"/>, as "#RRGGBB"; repeats after eight.</summary>
    public static string Color(int index) => Colors[Wrap(index)];

    /// <summary>The red, green and blue bytes of <see cref="Color"/>.</summary>
    public static (byte R, byte G, byte B) Rgb(int index)
    {
        string hex = Colors[Wrap(index)];
        return (Parse(hex, 1), Parse(hex, 3), Parse(hex, 5));
    }

    /// <summary>Whether series <paramref name="index"/> is past the distinct colours, so lines add a dash to tell repeats apart.</summary>
    public static bool IsRepeat(int index) => index >= Colors.Length;

    /// <summary>Formats bytes as "#RRGGBB".</summary>
    public static string Hex(byte r, byte g, byte b) => $"#{r:X2}{g:X2}{b:X2}";

    /// <summary><paramref name="strength"/> of channel value <paramref name="c"/> mixed into white.</summary>
    internal static byte Mix(byte c, double strength) => (byte)Math.Round(255 - (255 - c) * Math.Clamp(strength, 0, 1));

    private static int Wrap(int index) => ((index % Colors.Length) + Colors.Length) % Colors.Length;

    private static byte Parse(string hex, int at) => byte.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
