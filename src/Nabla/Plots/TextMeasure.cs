namespace Nabla.Plots;

/// <summary>
/// Estimates text widths for layout. SVG cannot measure text before a browser renders it, so margins
/// use an average glyph width of the UI fonts in <see cref="SvgCanvas.FontFamily"/>; it errs wide,
/// which costs a few pixels of margin rather than clipped labels.
/// </summary>
internal static class TextMeasure
{
    /// <summary>Approximate width in pixels of <paramref name="text"/> at font size <paramref name="size"/>.</summary>
    public static double Width(string text, double size) => text.Length * size * 0.6;
}
