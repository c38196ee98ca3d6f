using System.Globalization;

namespace Nabla.Cli;

/// <summary>How numbers look in the command's text output.</summary>
internal static class Format
{
    /// <summary>A loss: six decimals while that reads well, else six significant digits (a diverging loss).</summary>
    public static string Loss(double value) =>
        Math.Abs(value) < 1e5 ? value.ToString("0.000000", CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A measured value such as R², an error or a probability: six significant digits in plain notation while that reads well (<c>0.000123457</c>, <c>1234.57</c>), else scientific (<c>6.42775e-06</c>).</summary>
    public static string Number(double value) =>
        value == 0 || Math.Abs(value) is >= 1e-4 and < 1e15
            ? RoundToSignificant(value).ToString("0.##########", CultureInfo.InvariantCulture)
            : value.ToString("0.#####e+00", CultureInfo.InvariantCulture);

    private static double RoundToSignificant(double value)
    {
        if (value == 0 || !double.IsFinite(value))
            return value;
        int digits = 6 - (int)Math.Floor(Math.Log10(Math.Abs(value))) - 1;
        return digits is >= 0 and <= 15 ? Math.Round(value, digits) : value;
    }

    /// <summary>An accuracy, precision, recall or F1 with four decimals.</summary>
    public static string Ratio(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
