namespace Nabla.Plots;

/// <summary>
/// 2-D points coloured by class, with a legend of class names when there is more than one class:
/// the data scatter of a two-feature dataset. More than <see cref="MaxPoints"/> points are thinned
/// evenly and the title says so.
/// </summary>
/// <example><code>
/// new ScatterChart(xy, labels, ["gaussian 1", "gaussian 2"]) { Title = "Training data", XLabel = "x₁", YLabel = "x₂" }
///     .Save("data.svg");
/// </code></example>
public sealed class ScatterChart : ISvgFigure
{
    private readonly double[,] points;
    private readonly int[] labels;
    private readonly string[] names;

    /// <summary>
    /// A scatter of <paramref name="points"/> ([n × 2]) with class <paramref name="labels"/>; without
    /// <paramref name="classNames"/> classes are called "class 0", "class 1", ….
    /// </summary>
    public ScatterChart(double[,] points, int[] labels, IReadOnlyList<string>? classNames = null)
    {
        int classes = ClassPoints.Validate(points, labels, classNames);
        this.points = points;
        this.labels = labels;
        names = ClassPoints.Names(classNames, classes);
    }

    /// <summary>Title above the chart, or null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis (the first feature).</summary>
    public string? XLabel { get; set; }

    /// <summary>Label beside the y axis (the second feature).</summary>
    public string? YLabel { get; set; }

    /// <inheritdoc/>
    public int Width { get; set; } = 520;

    /// <inheritdoc/>
    public int Height { get; set; } = 460;

    /// <summary>Most points drawn; beyond it an evenly spaced subset is shown.</summary>
    public int MaxPoints { get; set; } = 5000;

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        int n = labels.Length;
        string? title = n > MaxPoints ? $"{Title} ({MaxPoints:N0} of {n:N0} points)".TrimStart() : Title;
        double top = ChartHeader.Draw(canvas, Width, title, ClassPoints.Legend(names));
        var (xLo, xHi, yLo, yHi) = ClassPoints.Extent(points) ?? (0, 1, 0, 1);
        // Pad by 5% so no point sits on the frame; a degenerate extent gets ±0.5.
        double padX = xHi > xLo ? (xHi - xLo) * 0.05 : 0.5, padY = yHi > yLo ? (yHi - yLo) * 0.05 : 0.5;
        var axes = Axes.Layout(Width, Height, top,
            px => NiceTicks.Within(xLo - padX, xHi + padX, Axes.TickTarget(px, 80)),
            px => NiceTicks.Within(yLo - padY, yHi + padY, Axes.TickTarget(px, 60)),
            XLabel is not null, YLabel is not null);
        axes.DrawGrid(canvas);
        ClassPoints.Draw(canvas, axes, points, labels, MaxPoints);
        axes.DrawAxes(canvas, XLabel, YLabel);
    }
}
