using System.Globalization;

namespace Nabla.Plots;

/// <summary>
/// Axis ticks at "nice" numbers: steps of 1, 2 or 5 times a power of ten on a linear axis, powers of
/// ten (with 2 and 5 between them when the range is short) on a log axis. The axis then spans from
/// the first tick to the last, so every data value lies inside it and the ends are labelled.
/// </summary>
internal sealed class NiceTicks
{
    /// <summary>Narrowest linear range drawn, relative to the magnitude of its values.</summary>
    public const double MinRelativeSpan = 0.02;

    private NiceTicks(double[] values, double min, double max, bool log, double step)
    {
        Values = values;
        Min = min;
        Max = max;
        IsLog = log;
        Step = step;
    }

    /// <summary>Tick positions in data units, ascending.</summary>
    public double[] Values { get; }

    /// <summary>Lower end of the axis (the first tick, except for <see cref="Within"/>).</summary>
    public double Min { get; }

    /// <summary>Upper end of the axis (the last tick, except for <see cref="Within"/>).</summary>
    public double Max { get; }

    /// <summary>True for a logarithmic axis.</summary>
    public bool IsLog { get; }

    /// <summary>Distance between ticks on a linear axis; on a log axis, the smallest tick (sets label precision).</summary>
    public double Step { get; }

    /// <summary>
    /// Linear ticks covering [<paramref name="lo"/>, <paramref name="hi"/>] with about
    /// <paramref name="target"/> intervals. A range narrower than 2% of its magnitude (a flat loss
    /// curve, a weight that hardly moves) is widened to ±1% around its middle, or ±0.5 around zero,
    /// so it draws as a deliberate, nearly flat line instead of rounding noise blown up to full height.
    /// </summary>
    public static NiceTicks Linear(double lo, double hi, int target = 5)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi)
            throw new ArgumentException($"Expected a finite range lo <= hi; received [{lo}, {hi}].");
        double magnitude = Math.Max(Math.Abs(lo), Math.Abs(hi));
        if (hi - lo < magnitude * MinRelativeSpan || magnitude == 0)
        {
            double mid = (lo + hi) / 2;
            double pad = mid == 0 ? 0.5 : Math.Abs(mid) * MinRelativeSpan / 2;
            lo = mid - pad;
            hi = mid + pad;
        }
        double step = NiceStep((hi - lo) / Math.Max(1, target));
        // Round the index, not the value, so ticks such as 0.3 come out as 3 * 0.1 exactly once formatted.
        long first = (long)Math.Floor(lo / step + 1e-9);
        long last = (long)Math.Ceiling(hi / step - 1e-9);
        var values = new double[last - first + 1];
        for (long i = first; i <= last; i++)
            values[i - first] = i * step;
        return new NiceTicks(values, values[0], values[^1], log: false, step);
    }

    /// <summary>
    /// Linear ticks inside [<paramref name="lo"/>, <paramref name="hi"/>] with the axis spanning exactly
    /// that range: for pictures whose extent is fixed by something else, such as a decision-boundary
    /// grid, where padding the axis out to the next tick would leave an empty band.
    /// </summary>
    public static NiceTicks Within(double lo, double hi, int target = 5)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || !(lo < hi))
            throw new ArgumentException($"Expected a finite range lo < hi; received [{lo}, {hi}].");
        double step = NiceStep((hi - lo) / Math.Max(1, target));
        long first = (long)Math.Ceiling(lo / step - 1e-9);
        long last = (long)Math.Floor(hi / step + 1e-9);
        var values = new double[Math.Max(0, last - first + 1)];
        for (long i = first; i <= last; i++)
            values[i - first] = i * step;
        return new NiceTicks(values, lo, hi, log: false, step);
    }

    /// <summary>
    /// Logarithmic ticks for data in [<paramref name="lo"/>, <paramref name="hi"/>], both positive.
    /// The axis spans the data padded by 4% of its log-width (a single value gets a factor of two
    /// either way), not whole decades, so a loss from 1.4 down to 0.06 fills the plot. Ticks are the
    /// powers of ten inside (every second or third over many decades), with 2 and 5 times them over
    /// short ranges, or every integer multiple when that still leaves fewer than two.
    /// </summary>
    public static NiceTicks Log(double lo, double hi)
    {
        if (!(lo > 0) || !double.IsFinite(hi) || lo > hi)
            throw new ArgumentException($"Expected a positive finite range lo <= hi for a log axis; received [{lo}, {hi}].");
        double a = Math.Log10(lo), b = Math.Log10(hi);
        double pad = b - a < 1e-9 ? Math.Log10(2) : (b - a) * 0.04;
        a -= pad;
        b += pad;
        List<double> values = [];
        foreach (double[] mantissas in (double[][])[[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]])
        {
            int decades = (int)Math.Ceiling(b - a);
            int every = mantissas.Length > 1 || decades <= 6 ? 1 : decades <= 12 ? 2 : 3;
            values = [];
            for (int d = (int)Math.Floor(a); d <= (int)Math.Ceiling(b); d++)
            {
                if (d % every != 0)
                    continue;
                foreach (double m in mantissas)
                {
                    double v = m * Math.Pow(10, d);
                    double log = Math.Log10(v);
                    if (log >= a - 1e-9 && log <= b + 1e-9)
                        values.Add(v);
                }
            }
            // Whole decades alone suffice from three ticks up; otherwise add intermediate mantissas.
            if (values.Count >= (mantissas.Length == 1 ? 3 : 2))
                break;
        }
        return new NiceTicks([.. values], Math.Pow(10, a), Math.Pow(10, b), log: true, values.Count > 0 ? values[0] : Math.Pow(10, a));
    }

    /// <summary>The smallest 1, 2 or 5 times a power of ten that is at least <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double f = rough / power;
        double nice = f <= 1 + 1e-9 ? 1 : f <= 2 + 1e-9 ? 2 : f <= 5 + 1e-9 ? 5 : 10;
        return nice * power;
    }

    /// <summary>Position of <paramref name="value"/> along the axis, 0 at <see cref="Min"/> and 1 at <see cref="Max"/>.</summary>
    public double Fraction(double value) => IsLog
        ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (value - Min) / (Max - Min);

    /// <summary>
    /// The label of tick <paramref name="value"/>: as many decimals as the step needs and no more,
    /// thousands separated, and powers-of-ten notation for very large or very small magnitudes.
    /// </summary>
    public string Label(double value)
    {
        if (value == 0)
            return "0";
        double abs = Math.Abs(value);
        if (abs >= 1e6 || abs < 1e-4)
        {
            int exponent = (int)Math.Floor(Math.Log10(abs) + 1e-9);
            double mantissa = value / Math.Pow(10, exponent);
            string m = Math.Round(mantissa, 2).ToString("0.##", CultureInfo.InvariantCulture);
            return m == "1" ? $"1e{exponent}" : m == "-1" ? $"-1e{exponent}" : $"{m}e{exponent}";
        }
        double precisionStep = IsLog ? abs : Step;
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(precisionStep) - 1e-9), 0, 12);
        string integer = abs >= 10000 ? "#,0" : "0";
        string format = decimals == 0 ? integer : integer + "." + new string('0', decimals);
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
