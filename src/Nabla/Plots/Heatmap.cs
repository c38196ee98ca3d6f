namespace Nabla.Plots;

/// <summary>
/// A confusion matrix: true classes as rows, predicted classes as columns, the count in each cell,
/// and the cell coloured by its share of the row (the fraction of that true class predicted as each
/// class), so a rare class's mistakes are as visible as a common one's. Column names are rotated
/// when they are too long for the cells.
/// </summary>
/// <example><code>
/// new Heatmap(confusion, ["T-shirt", "Trouser", …]) { Title = "Test set confusion matrix" }.Save("confusion.svg");
/// </code></example>
public sealed class Heatmap : ISvgFigure
{
    private const double NameSize = 12;
    private const double AxisLabelSize = 13;
    private readonly int[,] counts;
    private readonly string[] names;

    /// <summary>A heatmap of <paramref name="counts"/> ([true class × predicted class]) labelled with <paramref name="classNames"/>.</summary>
    public Heatmap(int[,] counts, IReadOnlyList<string> classNames)
    {
        int n = counts.GetLength(0);
        if (n == 0 || counts.GetLength(1) != n)
            throw new ArgumentException($"Expected a square, non-empty matrix of counts; received [{n} x {counts.GetLength(1)}].", nameof(counts));
        if (classNames.Count != n)
            throw new ArgumentException($"Expected one class name per row ({n}); received {classNames.Count}.", nameof(classNames));
        foreach (int c in counts)
            if (c < 0)
                throw new ArgumentException($"Expected non-negative counts; received {c}.", nameof(counts));
        this.counts = counts;
        names = [.. classNames];
    }

    /// <summary>Title above the matrix, or null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Side of one cell in pixels: large enough for a four-digit count, smaller for many classes.</summary>
    public int CellSize => Math.Clamp(520 / names.Length, 26, 56);

    /// <inheritdoc/>
    public int Width => (int)Math.Ceiling(LeftMargin + names.Length * CellSize + 24);

    /// <inheritdoc/>
    public int Height => (int)Math.Ceiling(TopMargin + names.Length * CellSize + BottomMargin);

    private double LongestName => names.Max(n => TextMeasure.Width(n, NameSize));

    private bool RotateColumnNames => LongestName > CellSize - 4;

    private double LeftMargin => 12 + AxisLabelSize + 12 + LongestName + 8;

    private double TopMargin => 8 + (string.IsNullOrEmpty(Title) ? 0 : ChartHeader.TitleSize + 12) + 4;

    // Rotated names hang down at 45°, so they need about 0.71 of their length in height.
    private double BottomMargin => 8 + (RotateColumnNames ? LongestName * 0.71 + 8 : NameSize + 6) + AxisLabelSize + 16;

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        int n = names.Length, cell = CellSize;
        double left = LeftMargin, top = TopMargin, size = n * cell;
        if (!string.IsNullOrEmpty(Title))
            canvas.Text(Width / 2.0, 8 + ChartHeader.TitleSize, Title, ChartHeader.TitleSize, TextAnchor.Middle, bold: true);
        double countSize = Math.Min(13, cell * 0.36);
        for (int r = 0; r < n; r++)
        {
            long rowTotal = 0;
            for (int c = 0; c < n; c++)
                rowTotal += counts[r, c];
            for (int c = 0; c < n; c++)
            {
                double share = rowTotal == 0 ? 0 : (double)counts[r, c] / rowTotal;
                double x = left + c * cell, y = top + r * cell;
                canvas.Rect(x, y, cell, cell, Shade(share), "#fff", 1);
                canvas.Text(x + cell / 2.0, y + cell / 2.0 + countSize * 0.35, counts[r, c].ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    countSize, TextAnchor.Middle, share > 0.5 ? "#fff" : "#222", bold: r == c);
            }
            canvas.Text(left - 8, top + r * cell + cell / 2.0 + NameSize * 0.35, names[r], NameSize, TextAnchor.End, "#333");
        }
        double below = top + size + 8;
        for (int c = 0; c < n; c++)
        {
            double x = left + c * cell + cell / 2.0;
            if (RotateColumnNames)
                canvas.Text(x + 4, below + 6, names[c], NameSize, TextAnchor.End, "#333", rotate: -45);
            else
                canvas.Text(x, below + NameSize, names[c], NameSize, TextAnchor.Middle, "#333");
        }
        canvas.Rect(left, top, size, size, "none", "#555");
        double xLabelY = Height - 10;
        canvas.Text(left + size / 2, xLabelY, "predicted class", AxisLabelSize, TextAnchor.Middle, "#222", bold: true);
        canvas.Text(12 + AxisLabelSize, top + size / 2, "true class", AxisLabelSize, TextAnchor.Middle, "#222", bold: true, rotate: -90);
    }

    /// <summary>White to dark blue, in the palette's blue, so the diagonal reads at a glance.</summary>
    private static string Shade(double share)
    {
        // Dark end #08306B, mixed toward white; a slight gamma lifts small shares off white.
        double t = Math.Pow(Math.Clamp(share, 0, 1), 0.8);
        byte Channel(byte dark) => (byte)Math.Round(255 - (255 - dark) * t);
        return Palette.Hex(Channel(0x08), Channel(0x30), Channel(0x6B));
    }
}
