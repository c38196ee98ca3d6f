namespace Nabla.Plots;

/// <summary>
/// Several figures side by side in a grid, with an optional overall title: the tanh, sigmoid and
/// ReLU decision boundaries in one row, or small multiples. Each column is as wide as its widest
/// panel and each row as tall as its tallest, so panels of one size line up exactly.
/// </summary>
/// <example><code>
/// new Figure(columns: 3) { Title = "Hidden activation" }
///     .Add(tanhBoundary).Add(sigmoidBoundary).Add(reluBoundary)
///     .Save("boundaries.svg");
/// </code></example>
public sealed class Figure : ISvgFigure
{
    private const double TitleSize = 17;
    private const int Gap = 12;
    private readonly List<ISvgFigure> panels = [];

    /// <summary>Creates an empty figure that places <paramref name="columns"/> panels per row.</summary>
    public Figure(int columns = 3)
    {
        if (columns < 1)
            throw new ArgumentException($"Expected a positive number of columns; received {columns}.", nameof(columns));
        Columns = columns;
    }

    /// <summary>Panels per row.</summary>
    public int Columns { get; }

    /// <summary>Title above all panels, or null for none.</summary>
    public string? Title { get; set; }

    /// <summary>The panels in reading order.</summary>
    public IReadOnlyList<ISvgFigure> Panels => panels;

    /// <inheritdoc/>
    public int Width => Math.Max(Gap + ColumnWidths().Sum(w => w + Gap), string.IsNullOrEmpty(Title) ? 0 : (int)Math.Ceiling(TextMeasure.Width(Title, TitleSize) + 2 * Gap));

    /// <inheritdoc/>
    public int Height => (int)Math.Ceiling(TitleHeight) + Gap + RowHeights().Sum(h => h + Gap);

    private double TitleHeight => string.IsNullOrEmpty(Title) ? 0 : TitleSize + 16;

    /// <summary>Appends a panel; panels fill rows left to right.</summary>
    public Figure Add(ISvgFigure panel)
    {
        panels.Add(panel);
        return this;
    }

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        if (!string.IsNullOrEmpty(Title))
            canvas.Text(Width / 2.0, 10 + TitleSize, Title, TitleSize, TextAnchor.Middle, bold: true);
        int[] widths = ColumnWidths();
        int[] heights = RowHeights();
        double y = TitleHeight + Gap;
        for (int row = 0; row < heights.Length; row++)
        {
            double x = Gap;
            for (int col = 0; col < Columns && row * Columns + col < panels.Count; col++)
            {
                canvas.BeginGroup(x, y);
                panels[row * Columns + col].Render(canvas);
                canvas.EndGroup();
                x += widths[col] + Gap;
            }
            y += heights[row] + Gap;
        }
    }

    private int[] ColumnWidths()
    {
        var widths = new int[Math.Min(Columns, Math.Max(1, panels.Count))];
        for (int i = 0; i < panels.Count; i++)
            widths[i % Columns] = Math.Max(widths[i % Columns], panels[i].Width);
        return widths;
    }

    private int[] RowHeights()
    {
        var heights = new int[(panels.Count + Columns - 1) / Columns];
        for (int i = 0; i < panels.Count; i++)
            heights[i / Columns] = Math.Max(heights[i / Columns], panels[i].Height);
        return heights;
    }
}
