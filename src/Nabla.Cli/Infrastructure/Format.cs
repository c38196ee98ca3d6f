using System.Globalization;

namespace Nabla.Cli;

/// <summary>How numbers look in the command's text output.</summary>
internal static class Format
{
    /// <summary>A loss: six decimals while that reads well, else six significant digits (a diverging loss).</summary>
    public static string Loss(double value) =>
        Math.Abs(value) < 1e5 ? value.ToString("0.000000", CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>An accuracy, precision, recall or F1 with four decimals.</summary>
    public static string Ratio(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
