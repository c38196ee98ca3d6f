namespace Nabla.Plots;

/// <summary>
/// How a spread of values moves along x, as TensorBoard's distribution charts draw it: a light band from the minimum to
/// the maximum, a darker band of the mean ± one standard deviation, and the mean as a line. Points with a non-finite
/// value are left out. Small enough for small multiples (one panel per layer's weights or activations).
/// </summary>
/// <example><code>
/// var chart = new BandChart { Title = "0.weight", XLabel = "step" };
/// foreach (var s in snapshots)
///     chart.Add(s.Step, s.Min, s.Mean - s.Std, s.Mean, s.Mean + s.Std, s.Max);
/// chart.Save("weights.svg");
/// </code></example>
public sealed class BandChart : ISvgFigure
{
    private const string Outer = "#C6DBEF", Inner = "#6BAED6", Center = "#08519C";
    private readonly List<(double X, double Min, double Lower, double Mean, double Upper, double Max)> points = [];

    /// <summary>Title above the chart, or null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis, e.g. "step".</summary>
    public string? XLabel { get; set; }

    /// <summary>Label beside the y axis, or null.</summary>
    public string? YLabel { get; set; }

    /// <summary>Shows which band is which above the plot (leave it to the figure's caption in small multiples).</summary>
    public bool ShowLegend { get; set; } = true;

    /// <inheritdoc/>
    public int Width { get; set; } = 300;

    /// <inheritdoc/>
    public int Height { get; set; } = 210;

    /// <summary>Adds the spread at <paramref name="x"/>: its extremes, the mean ± one standard deviation, and the mean (x ascending).</summary>
    public BandChart Add(double x, double min, double lower, double mean, double upper, double max)
    {
        points.Add((x, min, lower, mean, upper, max));
        return this;
    }

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        var shown = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Min) && double.IsFinite(p.Max) && double.IsFinite(p.Mean)).ToList();
        LegendEntry[] legend = ShowLegend ? [new("min–max", Outer, false), new("mean ± std", Inner, false), new("mean", Center, false)] : [];
        double top = ChartHeader.Draw(canvas, Width, Title, legend);
        double xLo = shown.Count > 0 ? shown.Min(p => p.X) : 0, xHi = shown.Count > 0 ? shown.Max(p => p.X) : 1;
        double yLo = shown.Count > 0 ? shown.Min(p => p.Min) : 0, yHi = shown.Count > 0 ? shown.Max(p => p.Max) : 1;
        var axes = Axes.Layout(Width, Height, top,
            px => xHi > xLo ? NiceTicks.Within(xLo, xHi, Axes.TickTarget(px, 90)) : NiceTicks.Linear(xLo, xHi, Axes.TickTarget(px, 90)),
            px => NiceTicks.Linear(yLo, yHi, Axes.TickTarget(px, 45)), XLabel is not null, YLabel is not null);
        axes.DrawGrid(canvas);
        if (shown.Count == 1)
        {
            var p = shown[0];
            canvas.Line(axes.X(p.X), axes.Y(p.Min), axes.X(p.X), axes.Y(p.Max), Inner, 4);
            canvas.Circle(axes.X(p.X), axes.Y(p.Mean), 3, Center);
        }
        else if (shown.Count > 1)
        {
            Band(canvas, axes, shown, p => p.Min, p => p.Max, Outer);
            Band(canvas, axes, shown, p => Math.Max(p.Min, p.Lower), p => Math.Min(p.Max, p.Upper), Inner);
            canvas.Polyline([.. shown.Select(p => axes.X(p.X))], [.. shown.Select(p => axes.Y(p.Mean))], Center, 1.8);
        }
        axes.DrawAxes(canvas, XLabel, YLabel);
    }

    private static void Band(SvgCanvas canvas, Axes axes, List<(double X, double Min, double Lower, double Mean, double Upper, double Max)> shown,
        Func<(double X, double Min, double Lower, double Mean, double Upper, double Max), double> low,
        Func<(double X, double Min, double Lower, double Mean, double Upper, double Max), double> high, string fill)
    {
        // Along the upper edge left to right, then back along the lower edge.
        var xs = shown.Select(p => axes.X(p.X)).Concat(shown.AsEnumerable().Reverse().Select(p => axes.X(p.X))).ToArray();
        var ys = shown.Select(p => axes.Y(high(p))).Concat(shown.AsEnumerable().Reverse().Select(p => axes.Y(low(p)))).ToArray();
        canvas.Polygon(xs, ys, fill);
    }
}
