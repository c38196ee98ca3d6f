namespace Nabla.Plots;

/// <summary>
/// A rectangular plot area with an x and a y axis: maps data to pixels and draws the light grid,
/// the axis lines, tick labels and axis labels. Margins are sized from the tick labels actually
/// shown, so long labels (0.00125, 12,000) never collide with the axis label.
/// </summary>
internal sealed class Axes
{
    public const double TickSize = 11.5;
    public const double LabelSize = 12.5;
    private const string GridColor = "#e6e6e6";
    private const string AxisColor = "#555";

    private Axes(double left, double top, double width, double height, NiceTicks x, NiceTicks y)
    {
        Left = left;
        Top = top;
        PlotWidth = width;
        PlotHeight = height;
        XTicks = x;
        YTicks = y;
    }

    public double Left { get; }
    public double Top { get; }
    public double PlotWidth { get; }
    public double PlotHeight { get; }
    public double Right => Left + PlotWidth;
    public double Bottom => Top + PlotHeight;
    public NiceTicks XTicks { get; }
    public NiceTicks YTicks { get; }

    /// <summary>Pixel x of data value <paramref name="v"/>.</summary>
    public double X(double v) => Left + XTicks.Fraction(v) * PlotWidth;

    /// <summary>Pixel y of data value <paramref name="v"/> (up is larger).</summary>
    public double Y(double v) => Bottom - YTicks.Fraction(v) * PlotHeight;

    /// <summary>
    /// Lays out axes in the canvas box below <paramref name="top"/>. The tick factories receive the
    /// plot length in pixels so the tick density follows the size (small multiples get fewer ticks).
    /// </summary>
    public static Axes Layout(double width, double height, double top, Func<double, NiceTicks> xTicks, Func<double, NiceTicks> yTicks,
        bool hasXLabel, bool hasYLabel)
    {
        double bottomMargin = TickSize + 12 + (hasXLabel ? LabelSize + 12 : 0) + 4;
        double plotHeight = Math.Max(20, height - top - bottomMargin);
        var y = yTicks(plotHeight);
        double yLabelWidth = y.Values.Select(v => TextMeasure.Width(y.Label(v), TickSize)).DefaultIfEmpty(0).Max();
        double left = 10 + (hasYLabel ? LabelSize + 10 : 0) + yLabelWidth + 8;
        double rightMargin = 18;
        var x = xTicks(Math.Max(20, width - left - rightMargin));
        // The last x tick label is centred on the right edge: leave room for its right half.
        if (x.Values.Length > 0)
            rightMargin = Math.Max(rightMargin, TextMeasure.Width(x.Label(x.Values[^1]), TickSize) / 2 + 6);
        return new Axes(left, top, Math.Max(20, width - left - rightMargin), plotHeight, x, y);
    }

    /// <summary>How many linear tick intervals suit an axis <paramref name="pixels"/> long with labels about <paramref name="spacing"/> apart.</summary>
    public static int TickTarget(double pixels, double spacing) => Math.Clamp((int)(pixels / spacing), 2, 8);

    /// <summary>Grid lines and axes; draw it before the data so the data sits on top.</summary>
    public void DrawGrid(SvgCanvas canvas)
    {
        foreach (double v in XTicks.Values)
            canvas.Line(X(v), Top, X(v), Bottom, GridColor);
        foreach (double v in YTicks.Values)
            canvas.Line(Left, Y(v), Right, Y(v), GridColor);
    }

    /// <summary>Axis lines, tick labels and axis labels.</summary>
    public void DrawAxes(SvgCanvas canvas, string? xLabel, string? yLabel)
    {
        canvas.Line(Left, Bottom, Right, Bottom, AxisColor);
        canvas.Line(Left, Top, Left, Bottom, AxisColor);
        foreach (double v in XTicks.Values)
        {
            canvas.Line(X(v), Bottom, X(v), Bottom + 4, AxisColor);
            canvas.Text(X(v), Bottom + 6 + TickSize, XTicks.Label(v), TickSize, TextAnchor.Middle, "#444");
        }
        double widest = 0;
        foreach (double v in YTicks.Values)
        {
            string label = YTicks.Label(v);
            widest = Math.Max(widest, TextMeasure.Width(label, TickSize));
            canvas.Line(Left - 4, Y(v), Left, Y(v), AxisColor);
            canvas.Text(Left - 7, Y(v) + TickSize * 0.35, label, TickSize, TextAnchor.End, "#444");
        }
        if (!string.IsNullOrEmpty(xLabel))
            canvas.Text(Left + PlotWidth / 2, Bottom + 6 + TickSize + 8 + LabelSize, xLabel, LabelSize, TextAnchor.Middle, "#222");
        if (!string.IsNullOrEmpty(yLabel))
        {
            double x = Math.Max(LabelSize, Left - 7 - widest - 10);
            canvas.Text(x, Top + PlotHeight / 2, yLabel, LabelSize, TextAnchor.Middle, "#222", rotate: -90);
        }
    }
}
