using System.Numerics;

namespace Nabla.Training.Callbacks;

/// <summary>
/// How the values of one tensor are spread at one moment of training: their count, extremes, mean, standard deviation
/// and a histogram of equal-width bins from <see cref="Min"/> to <see cref="Max"/> (seed 004's summaries of each layer's
/// weights, biases, net inputs and activations). Non-finite values count towards nothing but <see cref="NonFinite"/>.
/// </summary>
/// <param name="Name">The tensor: a parameter's model-file name (<c>"0.weight"</c>) or a layer's output (<c>"1 ReLU"</c>).</param>
/// <param name="Quantity">What the values are: <c>weight</c>, <c>bias</c>, <c>scale</c>, <c>shift</c>, <c>net input</c> or <c>activation</c>.</param>
/// <param name="Layer">The index of the layer the tensor belongs to.</param>
/// <param name="Count">Number of finite values.</param>
/// <param name="Min">The smallest finite value (NaN when there is none).</param>
/// <param name="Max">The largest finite value (NaN when there is none).</param>
/// <param name="Mean">The mean of the finite values.</param>
/// <param name="StandardDeviation">Their population standard deviation.</param>
/// <param name="Histogram">Counts per bin; bin <c>b</c> holds values in <c>[Min + b·w, Min + (b + 1)·w)</c>, <c>w = (Max − Min) / bins</c>, the last bin including <see cref="Max"/>.</param>
/// <param name="NonFinite">Number of NaN and infinite values.</param>
public sealed record ValueDistribution(string Name, string Quantity, int Layer, long Count, double Min, double Max, double Mean,
    double StandardDeviation, IReadOnlyList<long> Histogram, long NonFinite)
{
    /// <summary>The width of one histogram bin (0 when every value is the same).</summary>
    public double BinWidth => Histogram.Count == 0 || !(Max > Min) ? 0 : (Max - Min) / Histogram.Count;

    /// <summary>Measures <paramref name="values"/> into <paramref name="bins"/> histogram bins.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is below 1.</exception>
    public static ValueDistribution Of<T>(string name, string quantity, int layer, ReadOnlySpan<T> values, int bins)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        long count = 0;
        foreach (var value in values)
        {
            double v = double.CreateTruncating(value);
            if (!double.IsFinite(v))
                continue;
            count++;
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (count == 0)
            return new ValueDistribution(name, quantity, layer, 0, double.NaN, double.NaN, double.NaN, double.NaN, new long[bins], values.Length);
        double mean = sum / count, squares = 0;
        var histogram = new long[bins];
        double width = (max - min) / bins;
        foreach (var value in values)
        {
            double v = double.CreateTruncating(value);
            if (!double.IsFinite(v))
                continue;
            squares += (v - mean) * (v - mean);
            histogram[width > 0 ? Math.Min(bins - 1, (int)((v - min) / width)) : 0]++;
        }
        return new ValueDistribution(name, quantity, layer, count, min, max, mean, Math.Sqrt(squares / count), histogram, values.Length - count);
    }
}
