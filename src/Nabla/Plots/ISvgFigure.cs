namespace Nabla.Plots;

/// <summary>
/// Anything that draws itself as one SVG picture of a known size: a chart, or a <see cref="Figure"/>
/// of charts. <see cref="SvgFigureExtensions.ToSvg"/> and <see cref="SvgFigureExtensions.Save"/>
/// turn it into a document; <see cref="HtmlReport"/> inlines it.
/// </summary>
public interface ISvgFigure
{
    /// <summary>Width in pixels.</summary>
    int Width { get; }

    /// <summary>Height in pixels.</summary>
    int Height { get; }

    /// <summary>Draws the figure into <paramref name="canvas"/> in the box (0, 0)–(Width, Height).</summary>
    void Render(SvgCanvas canvas);
}
