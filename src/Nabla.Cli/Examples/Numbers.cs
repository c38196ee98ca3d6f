using System.Globalization;
using Nabla.Training;

namespace Nabla.Cli.Examples;

/// <summary>How the examples' tables write numbers.</summary>
internal static class Numbers
{
    /// <summary>An accuracy with four decimals.</summary>
    public static string Acc(EvaluationResult result) => F4(result.Accuracy ?? double.NaN);

    /// <summary>A whole number with thousands separators.</summary>
    public static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Four significant digits.</summary>
    public static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>One decimal.</summary>
    public static string F1(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Four decimals.</summary>
    public static string F4(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>Six decimals.</summary>
    public static string F6(double value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    /// <summary>The first <paramref name="count"/> indices.</summary>
    public static int[] Range(int count) => [.. Enumerable.Range(0, count)];

    /// <summary>The epoch whose weights the model kept (the last when early stopping did not restore any).</summary>
    public static int BestEpochNumber(History history) => history.BestEpoch ?? history.Epochs.Count;
}
