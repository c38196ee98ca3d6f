namespace Nabla.Plots;

/// <summary>
/// Named series of (x, y) drawn as lines: loss per iteration, train/validation/test loss or
/// accuracy per epoch. Non-finite values leave gaps; a flat series gets a range of ±1% around
/// its value (±0.5 around zero) so it reads as a deliberate flat line; series longer than
/// <see cref="MaxPointsPerSeries"/> are thinned keeping their minima and maxima, and series longer than
/// <see cref="SmoothAbove"/> are drawn faint with a smoothed line over them, so thousands of noisy
/// mini-batch losses read as a trend instead of a solid band. The x axis spans exactly the data. A
/// legend appears when there is more than one series or a series is smoothed.
/// </summary>
/// <example><code>
/// new LineChart { Title = "Loss", XLabel = "epoch", YLabel = "cross-entropy" }
///     .Add("train", trainLoss, firstX: 1)
///     .Add("validation", validationLoss, firstX: 1)
///     .AddMarker(37, "early stop, epoch 37")
///     .Save("loss.svg");
/// </code></example>
public sealed class LineChart : ISvgFigure
{
    private readonly List<(string Name, double[] X, double[] Y)> series = [];
    private readonly List<(double X, string Label)> markers = [];

    /// <summary>Title above the chart, or null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis, e.g. "iteration".</summary>
    public string? XLabel { get; set; }

    /// <summary>Label beside the y axis, e.g. "loss".</summary>
    public string? YLabel { get; set; }

    /// <summary>A logarithmic y axis; values that are not positive are then left out as gaps.</summary>
    public bool LogY { get; set; }

    /// <inheritdoc/>
    public int Width { get; set; } = 640;

    /// <inheritdoc/>
    public int Height { get; set; } = 400;

    /// <summary>Points drawn per series at most (min/max thinning above it); about 1,500 keeps a file small and the shape exact at screen resolution.</summary>
    public int MaxPointsPerSeries { get; set; } = 1500;

    /// <summary>Series with more points than this get a smoothed line over their faint raw line.</summary>
    public int SmoothAbove { get; set; } = 300;

    /// <summary>Adds a series of points (<paramref name="x"/>[i], <paramref name="y"/>[i]); x should be ascending.</summary>
    public LineChart Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
            throw new ArgumentException($"Series '{name}': expected as many x values as y values ({y.Count}); received {x.Count}.", nameof(x));
        series.Add((name, [.. x], [.. y]));
        return this;
    }

    /// <summary>Adds a series whose i-th value is at x = <paramref name="firstX"/> + i (0 for iterations, 1 for epochs).</summary>
    public LineChart Add(string name, IReadOnlyList<double> y, double firstX = 0)
    {
        var x = new double[y.Count];
        for (int i = 0; i < x.Length; i++)
            x[i] = firstX + i;
        return Add(name, x, y);
    }

    /// <summary>A dashed vertical line at <paramref name="x"/> with a label at its top, e.g. the early-stopping epoch.</summary>
    public LineChart AddMarker(double x, string label)
    {
        if (!double.IsFinite(x))
            throw new ArgumentException($"Marker '{label}': expected a finite x; received {x}.", nameof(x));
        markers.Add((x, label));
        return this;
    }

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        var legend = series.Select((s, i) => new LegendEntry(IsSmoothed(s.Y) ? $"{s.Name} (smoothed over {SmoothingWindow(s.Y.Length)}; raw faint)" : s.Name,
            Palette.Color(i), false, Dash(i))).ToList();
        double top = ChartHeader.Draw(canvas, Width, Title, legend, alwaysLegend: series.Any(s => IsSmoothed(s.Y)));
        if (markers.Count > 0)
            top += 16; // room for marker labels above the plot area
        var (xLo, xHi, yLo, yHi) = DataRange();
        bool empty = double.IsNaN(yLo);
        if (empty)
            (yLo, yHi) = LogY ? (1, 10) : (0, 1); // an empty frame still shows which chart diverged
        var axes = Axes.Layout(Width, Height, top,
            px => xHi > xLo ? NiceTicks.Within(xLo, xHi, Axes.TickTarget(px, 90)) : NiceTicks.Linear(xLo, xHi, Axes.TickTarget(px, 90)),
            px => LogY ? NiceTicks.Log(yLo, yHi) : NiceTicks.Linear(yLo, yHi, Axes.TickTarget(px, 55)),
            XLabel is not null, YLabel is not null);
        axes.DrawGrid(canvas);
        for (int i = 0; i < series.Count; i++)
        {
            var (_, x, y) = series[i];
            if (!IsSmoothed(y))
            {
                DrawSeries(canvas, axes, x, y, Palette.Color(i), Dash(i));
                continue;
            }
            DrawSeries(canvas, axes, x, y, Palette.Color(i), Dash(i), width: 1, opacity: 0.3);
            DrawSeries(canvas, axes, x, Smooth(y, SmoothingWindow(y.Length)), Palette.Color(i), Dash(i), width: 2.2);
        }
        foreach (var (x, label) in markers)
        {
            double px = axes.X(x);
            canvas.Line(px, axes.Top - 4, px, axes.Bottom, "#444", 1.2, "5 4");
            bool rightHalf = px > axes.Left + axes.PlotWidth * 0.6;
            canvas.Text(rightHalf ? px - 4 : px + 4, axes.Top - 8, label, 11.5, rightHalf ? TextAnchor.End : TextAnchor.Start, "#333", halo: true);
        }
        if (empty)
            canvas.Text(axes.Left + axes.PlotWidth / 2, axes.Top + axes.PlotHeight / 2, "no finite values to plot", 13, TextAnchor.Middle, "#888");
        axes.DrawAxes(canvas, XLabel, YLabel);
    }

    private static string? Dash(int i) => Palette.IsRepeat(i) ? "7 4" : null;

    private bool IsSmoothed(double[] y) => y.Length > SmoothAbove;

    /// <summary>The span of the moving average: a hundredth of the series, at least 5 points.</summary>
    private static int SmoothingWindow(int length) => Math.Max(5, length / 100);

    /// <summary>
    /// An exponential moving average with span <paramref name="window"/> (<c>s ← βs + (1 − β)y</c>, <c>β = 1 − 2/(window + 1)</c>),
    /// divided by <c>1 − βᵗ</c> so the start is not pulled towards zero; non-finite values are skipped (they stay gaps).
    /// </summary>
    internal static double[] Smooth(double[] y, int window)
    {
        double beta = 1 - 2.0 / (window + 1), average = 0, weight = 0;
        var smoothed = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            if (double.IsFinite(y[i]))
            {
                average = beta * average + (1 - beta) * y[i];
                weight = beta * weight + (1 - beta);
            }
            smoothed[i] = double.IsFinite(y[i]) ? average / weight : double.NaN;
        }
        return smoothed;
    }

    private bool Plottable(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!LogY || y > 0);

    /// <summary>The extent of the plottable data and markers; NaN y bounds mean there is nothing to plot.</summary>
    private (double XLo, double XHi, double YLo, double YHi) DataRange()
    {
        double xLo = double.PositiveInfinity, xHi = double.NegativeInfinity;
        double yLo = double.PositiveInfinity, yHi = double.NegativeInfinity;
        foreach (var (_, xs, ys) in series)
            for (int i = 0; i < xs.Length; i++)
                if (Plottable(xs[i], ys[i]))
                {
                    xLo = Math.Min(xLo, xs[i]);
                    xHi = Math.Max(xHi, xs[i]);
                    yLo = Math.Min(yLo, ys[i]);
                    yHi = Math.Max(yHi, ys[i]);
                }
        foreach (var (x, _) in markers)
        {
            xLo = Math.Min(xLo, x);
            xHi = Math.Max(xHi, x);
        }
        if (xLo > xHi)
            (xLo, xHi) = (0, 1);
        if (yLo > yHi)
            return (xLo, xHi, double.NaN, double.NaN);
        return (xLo, xHi, yLo, yHi);
    }

    private void DrawSeries(SvgCanvas canvas, Axes axes, double[] x, double[] y, string color, string? dash, double width = 2, double opacity = 1)
    {
        var (xs, ys) = Downsampler.MinMax(x, y, MaxPointsPerSeries);
        var px = new List<double>();
        var py = new List<double>();
        for (int i = 0; i <= xs.Length; i++)
        {
            if (i < xs.Length && Plottable(xs[i], ys[i]))
            {
                px.Add(axes.X(xs[i]));
                py.Add(axes.Y(ys[i]));
                continue;
            }
            // A gap (or the end) closes the current run; a run of one point has no line, so show a dot.
            if (px.Count == 1)
                canvas.Circle(px[0], py[0], 3, color);
            else if (px.Count > 1)
                canvas.Polyline(px.ToArray(), py.ToArray(), color, width, dash, opacity);
            px.Clear();
            py.Clear();
        }
    }
}
