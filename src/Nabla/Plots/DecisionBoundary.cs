namespace Nabla.Plots;

/// <summary>
/// A classifier's decision regions as light class tints, the boundary between them drawn darker,
/// and the data points on top in full class colour with a dark outline. With probabilities the tint
/// deepens with confidence, so a wide pale band shows an uncertain model.
/// </summary>
/// <example><code>
/// var grid = ClassGrid.Compute(model.PredictClasses, xy);
/// new DecisionBoundary(grid, xy, labels, ["red", "blue"]) { Title = "tanh, 3 hidden units" }.Save("boundary.svg");
/// </code></example>
public sealed class DecisionBoundary : ISvgFigure
{
    private readonly ClassGrid grid;
    private readonly double[,] points;
    private readonly int[] labels;
    private readonly string[] names;

    /// <summary>
    /// Regions from <paramref name="grid"/> with <paramref name="points"/> ([n × 2]) and their true
    /// <paramref name="labels"/> drawn over them; points outside the grid are not drawn.
    /// </summary>
    public DecisionBoundary(ClassGrid grid, double[,] points, int[] labels, IReadOnlyList<string>? classNames = null)
    {
        int classes = ClassPoints.Validate(points, labels, classNames);
        int gridClasses = 0;
        foreach (int c in grid.Classes)
        {
            if (c < 0)
                throw new ArgumentException($"Expected non-negative predicted classes; received {c}.", nameof(grid));
            gridClasses = Math.Max(gridClasses, c + 1);
        }
        this.grid = grid;
        this.points = points;
        this.labels = labels;
        names = ClassPoints.Names(classNames, Math.Max(classes, gridClasses));
    }

    /// <summary>Title above the chart, e.g. the activation function.</summary>
    public string? Title { get; set; }

    /// <summary>Label under the x axis (the first feature).</summary>
    public string? XLabel { get; set; }

    /// <summary>Label beside the y axis (the second feature).</summary>
    public string? YLabel { get; set; }

    /// <inheritdoc/>
    public int Width { get; set; } = 460;

    /// <inheritdoc/>
    public int Height { get; set; } = 440;

    /// <summary>Most points drawn; beyond it an evenly spaced subset is shown.</summary>
    public int MaxPoints { get; set; } = 5000;

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        double top = ChartHeader.Draw(canvas, Width, Title, ClassPoints.Legend(names));
        var axes = Axes.Layout(Width, Height, top,
            px => NiceTicks.Within(grid.XMin, grid.XMax, Axes.TickTarget(px, 80)),
            px => NiceTicks.Within(grid.YMin, grid.YMax, Axes.TickTarget(px, 60)),
            XLabel is not null, YLabel is not null);
        canvas.Image(axes.Left, axes.Top, axes.PlotWidth, axes.PlotHeight, PngEncoder.ToDataUri(RegionImage()), smooth: true);
        canvas.Rect(axes.Left, axes.Top, axes.PlotWidth, axes.PlotHeight, "none", "#555");
        var inside = InsidePoints();
        ClassPoints.Draw(canvas, axes, inside.Points, inside.Labels, MaxPoints);
        axes.DrawAxes(canvas, XLabel, YLabel);
    }

    /// <summary>
    /// The regions as RGB pixels, top row first: class tints, deeper with confidence. Without
    /// confidences the boundary cells are drawn darker to mark it; with them the pale band where
    /// the model is unsure already marks it (smoothly, where a dark edge would show the grid's steps).
    /// </summary>
    private byte[] RegionImage()
    {
        int rows = grid.Rows, cols = grid.Columns;
        var rgb = new byte[rows * cols * 3];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int k = grid.Classes[r, c];
                bool edge = grid.Confidence is null && ((c + 1 < cols && grid.Classes[r, c + 1] != k) || (r + 1 < rows && grid.Classes[r + 1, c] != k));
                double strength = edge ? 0.7
                    : grid.Confidence is { } confidence ? 0.08 + 0.32 * confidence[r, c]
                    : 0.28;
                var (cr, cg, cb) = Palette.Rgb(k);
                int o = ((rows - 1 - r) * cols + c) * 3; // image rows run top-down, grid rows bottom-up
                rgb[o] = Palette.Mix(cr, strength);
                rgb[o + 1] = Palette.Mix(cg, strength);
                rgb[o + 2] = Palette.Mix(cb, strength);
            }
        return PngEncoder.Encode(rgb, cols, rows, channels: 3);
    }

    private (double[,] Points, int[] Labels) InsidePoints()
    {
        var keep = new List<int>();
        for (int i = 0; i < labels.Length; i++)
        {
            double x = points[i, 0], y = points[i, 1];
            if (x >= grid.XMin && x <= grid.XMax && y >= grid.YMin && y <= grid.YMax)
                keep.Add(i);
        }
        var p = new double[keep.Count, 2];
        var l = new int[keep.Count];
        for (int j = 0; j < keep.Count; j++)
        {
            p[j, 0] = points[keep[j], 0];
            p[j, 1] = points[keep[j], 1];
            l[j] = labels[keep[j]];
        }
        return (p, l);
    }
}
