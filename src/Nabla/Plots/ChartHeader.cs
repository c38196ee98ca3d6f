namespace Nabla.Plots;

/// <summary>
/// The title and legend strip above a chart's plot area, shared by every chart so they all look
/// alike. The legend sits above the plot, not inside it, so it can never hide data; it wraps onto
/// more rows when the names do not fit on one.
/// </summary>
internal static class ChartHeader
{
    public const double TitleSize = 15;
    public const double LegendSize = 12;
    private const double RowHeight = 18;
    private const double SwatchWidth = 22;
    private const double ItemGap = 18;

    /// <summary>
    /// Draws <paramref name="title"/> and, when there is more than one entry (or <paramref name="alwaysLegend"/>), the
    /// legend, centred in <paramref name="width"/>; returns the y coordinate where the plot area may begin.
    /// </summary>
    public static double Draw(SvgCanvas canvas, double width, string? title, IReadOnlyList<LegendEntry> legend, bool alwaysLegend = false)
    {
        double y = 8;
        if (!string.IsNullOrEmpty(title))
        {
            canvas.Text(width / 2, y + TitleSize, title, TitleSize, TextAnchor.Middle, bold: true);
            y += TitleSize + 10;
        }
        if (legend.Count > 1 || (alwaysLegend && legend.Count == 1))
        {
            foreach (var row in Rows(legend, width - 24))
            {
                double rowWidth = row.Sum(ItemWidth) - ItemGap;
                double x = (width - rowWidth) / 2;
                double mid = y + RowHeight / 2;
                foreach (var entry in row)
                {
                    if (entry.IsPoint)
                        canvas.Circle(x + SwatchWidth / 2, mid, 4.5, entry.Color, "#333", 0.8);
                    else
                        canvas.Line(x, mid, x + SwatchWidth, mid, entry.Color, 2.5, entry.Dash);
                    canvas.Text(x + SwatchWidth + 6, mid + LegendSize * 0.35, entry.Name, LegendSize, fill: "#333");
                    x += ItemWidth(entry);
                }
                y += RowHeight;
            }
        }
        return y + 8;
    }

    private static double ItemWidth(LegendEntry e) => SwatchWidth + 6 + TextMeasure.Width(e.Name, LegendSize) + ItemGap;

    private static List<List<LegendEntry>> Rows(IReadOnlyList<LegendEntry> legend, double available)
    {
        var rows = new List<List<LegendEntry>> { new() };
        double used = 0;
        foreach (var e in legend)
        {
            double w = ItemWidth(e);
            if (used + w > available && rows[^1].Count > 0)
            {
                rows.Add([]);
                used = 0;
            }
            rows[^1].Add(e);
            used += w;
        }
        return rows;
    }
}
