namespace Nabla.Plots;

/// <summary>
/// Draws labelled 2-D points in class colours with a dark outline, the way both the scatter chart
/// and the decision boundary show data. Large sets are thinned to an evenly spaced subset, which
/// keeps the class proportions and the file size sensible.
/// </summary>
internal static class ClassPoints
{
    /// <summary>Checks the shapes and returns the number of classes to colour.</summary>
    public static int Validate(double[,] points, int[] labels, IReadOnlyList<string>? classNames)
    {
        if (points.GetLength(1) != 2)
            throw new ArgumentException($"Expected points of shape [n x 2]; received [{points.GetLength(0)} x {points.GetLength(1)}].", nameof(points));
        if (labels.Length != points.GetLength(0))
            throw new ArgumentException($"Expected one label per point ({points.GetLength(0)}); received {labels.Length}.", nameof(labels));
        int classes = classNames?.Count ?? (labels.Length == 0 ? 0 : labels.Max() + 1);
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"Label {labels[i]} of point {i} is outside [0, {classes}).", nameof(labels));
        return classes;
    }

    /// <summary>The class names to show: the given ones, or "class 0", "class 1", ….</summary>
    public static string[] Names(IReadOnlyList<string>? classNames, int classes) =>
        classNames is not null ? [.. classNames] : [.. Enumerable.Range(0, classes).Select(c => $"class {c}")];

    /// <summary>Legend entries, one per class.</summary>
    public static List<LegendEntry> Legend(string[] names) =>
        [.. names.Select((n, c) => new LegendEntry(n, Palette.Color(c), true))];

    /// <summary>
    /// Draws at most <paramref name="maxPoints"/> points, one group per class (so the colours are
    /// written once per class, not per point); returns how many were drawn.
    /// </summary>
    public static int Draw(SvgCanvas canvas, Axes axes, double[,] points, int[] labels, int maxPoints)
    {
        int n = labels.Length;
        int shown = Math.Min(n, maxPoints);
        double radius = shown <= 400 ? 4 : shown <= 2000 ? 3 : 2.2;
        int classes = labels.Length == 0 ? 0 : labels.Max() + 1;
        for (int c = 0; c < classes; c++)
        {
            canvas.BeginGroup(Palette.Color(c), "#222", 0.7);
            for (int k = 0; k < shown; k++)
            {
                int i = shown == n ? k : (int)((long)k * n / shown);
                double x = points[i, 0], y = points[i, 1];
                if (labels[i] == c && double.IsFinite(x) && double.IsFinite(y))
                    canvas.Dot(axes.X(x), axes.Y(y), radius);
            }
            canvas.EndGroup();
        }
        return shown;
    }

    /// <summary>The finite extent of the points, or null when none is finite.</summary>
    public static (double XLo, double XHi, double YLo, double YHi)? Extent(double[,] points)
    {
        double xLo = double.PositiveInfinity, xHi = double.NegativeInfinity, yLo = double.PositiveInfinity, yHi = double.NegativeInfinity;
        for (int i = 0; i < points.GetLength(0); i++)
        {
            double x = points[i, 0], y = points[i, 1];
            if (!double.IsFinite(x) || !double.IsFinite(y))
                continue;
            xLo = Math.Min(xLo, x);
            xHi = Math.Max(xHi, x);
            yLo = Math.Min(yLo, y);
            yHi = Math.Max(yHi, y);
        }
        return xLo > xHi ? null : (xLo, xHi, yLo, yHi);
    }
}
