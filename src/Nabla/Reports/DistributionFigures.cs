using System.Globalization;
using Nabla.Plots;
using Nabla.Training.Callbacks;

namespace Nabla.Reports;

/// <summary>
/// How each layer's weights, biases, net inputs and activations were distributed as training went on, from
/// <see cref="LayerDistributions{T}"/>'s snapshots: bands over training (min–max, mean ± std, mean) and histograms at a
/// few moments, one panel per tensor, layer by layer.
/// </summary>
public static class DistributionFigures
{
    /// <summary>Panels per row: a layer's weight, bias, net input and activation side by side.</summary>
    private const int Columns = 4;

    /// <summary>One band chart per tensor over the snapshots, against the step (or the epoch when <paramref name="byEpoch"/>); null without two snapshots.</summary>
    public static Figure? OverTraining(IReadOnlyList<DistributionSnapshot> snapshots, bool byEpoch)
    {
        if (snapshots.Count < 2)
            return null;
        var figure = new Figure(Columns)
        {
            Title = $"Each layer's values over training (light: min–max; dark: mean ± one standard deviation; line: mean), every {Spacing(snapshots, byEpoch)}",
        };
        foreach (var (index, first) in Tensors(snapshots[0]))
        {
            var chart = new BandChart { Title = Caption(first), XLabel = byEpoch ? "epoch" : "step", ShowLegend = false };
            foreach (var s in snapshots)
            {
                var d = s.Values[index];
                chart.Add(byEpoch ? s.Epoch : s.Step, d.Min, d.Mean - d.StandardDeviation, d.Mean, d.Mean + d.StandardDeviation, d.Max);
            }
            figure.Add(chart);
        }
        return figure;
    }

    /// <summary>
    /// One chart per tensor with its histogram (as a density: the share of values per unit) at up to <paramref name="moments"/>
    /// snapshots spread from the first to the last; null without snapshots.
    /// </summary>
    public static Figure? Histograms(IReadOnlyList<DistributionSnapshot> snapshots, bool byEpoch, int moments = 4)
    {
        if (snapshots.Count == 0)
            return null;
        int count = Math.Min(moments, snapshots.Count);
        var chosen = Enumerable.Range(0, count).Select(k => snapshots[count == 1 ? 0 : (int)((long)k * (snapshots.Count - 1) / (count - 1))]).Distinct().ToList();
        var figure = new Figure(Columns) { Title = "Histograms of each layer's values at " + string.Join(", ", chosen.Select(s => When(s, byEpoch))) };
        foreach (var (index, first) in Tensors(snapshots[0]))
        {
            var chart = new LineChart { Title = Caption(first), XLabel = "value", Width = 300, Height = 230 };
            foreach (var s in chosen)
            {
                var d = s.Values[index];
                var (x, y) = Density(d);
                chart.Add(When(s, byEpoch), x, y);
            }
            figure.Add(chart);
        }
        return figure;
    }

    /// <summary>The tensors in layer order, each layer's parameters before its output, with their index in a snapshot.</summary>
    private static IEnumerable<(int Index, ValueDistribution First)> Tensors(DistributionSnapshot snapshot) =>
        snapshot.Values.Select((d, i) => (Index: i, First: d))
            .OrderBy(t => t.First.Layer).ThenBy(t => t.First.Quantity is "net input" or "activation" ? 1 : 0).ThenBy(t => t.Index);

    /// <summary>Bin centres and densities; a tensor whose values are all equal is one point at height 0 (its bins have no width).</summary>
    private static (double[] X, double[] Y) Density(ValueDistribution d)
    {
        double width = d.BinWidth;
        if (width == 0 || d.Count == 0)
            return ([d.Min], [double.NaN]);
        var x = new double[d.Histogram.Count];
        var y = new double[d.Histogram.Count];
        for (int b = 0; b < x.Length; b++)
        {
            x[b] = d.Min + (b + 0.5) * width;
            y[b] = d.Histogram[b] / (d.Count * width);
        }
        return (x, y);
    }

    private static string Caption(ValueDistribution d) => $"{d.Name} ({d.Quantity})";

    private static string When(DistributionSnapshot s, bool byEpoch) =>
        byEpoch ? $"epoch {s.Epoch}" : "step " + s.Step.ToString("N0", CultureInfo.InvariantCulture);

    private static string Spacing(IReadOnlyList<DistributionSnapshot> snapshots, bool byEpoch) =>
        byEpoch ? "epoch" : (snapshots[1].Step - snapshots[0].Step).ToString("N0", CultureInfo.InvariantCulture) + " steps";
}
