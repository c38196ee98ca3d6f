namespace Nabla.Plots;

/// <summary>
/// Thins a long series for drawing without changing its shape: the points are cut into equal
/// buckets by index and each bucket keeps its minimum and maximum, so spikes survive; the first and
/// last points are always kept, and a bucket holding a non-finite value keeps one, so gaps survive.
/// </summary>
internal static class Downsampler
{
    /// <summary>At most about <paramref name="maxPoints"/> points of (x, y); x is assumed to be ordered, as iterations and epochs are.</summary>
    public static (double[] X, double[] Y) MinMax(IReadOnlyList<double> x, IReadOnlyList<double> y, int maxPoints)
    {
        int n = y.Count;
        if (n <= maxPoints || maxPoints < 4)
            return ([.. x], [.. y]);
        int buckets = (maxPoints - 2) / 2;
        var keep = new List<int>(maxPoints + buckets) { 0 };
        for (int b = 0; b < buckets; b++)
        {
            int start = 1 + (int)((long)b * (n - 2) / buckets);
            int end = 1 + (int)((long)(b + 1) * (n - 2) / buckets);
            int min = -1, max = -1, gap = -1;
            for (int i = start; i < end; i++)
            {
                double v = y[i];
                if (!double.IsFinite(v) || !double.IsFinite(x[i]))
                {
                    if (gap < 0)
                        gap = i;
                    continue;
                }
                if (min < 0 || v < y[min])
                    min = i;
                if (max < 0 || v > y[max])
                    max = i;
            }
            AddSorted(keep, min, max, gap);
        }
        keep.Add(n - 1);
        var xs = new double[keep.Count];
        var ys = new double[keep.Count];
        for (int i = 0; i < keep.Count; i++)
        {
            xs[i] = x[keep[i]];
            ys[i] = y[keep[i]];
        }
        return (xs, ys);
    }

    private static void AddSorted(List<int> keep, int a, int b, int c)
    {
        Span<int> picked = [a, b, c];
        picked.Sort();
        int previous = -1;
        foreach (int i in picked)
            if (i >= 0 && i != previous)
            {
                keep.Add(i);
                previous = i;
            }
    }
}
