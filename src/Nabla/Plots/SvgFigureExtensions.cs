using Nabla.IO;

namespace Nabla.Plots;

/// <summary>Turns an <see cref="ISvgFigure"/> into an SVG document or file.</summary>
public static class SvgFigureExtensions
{
    /// <summary>The figure as a standalone SVG document.</summary>
    /// <example><c>string svg = new LineChart { Title = "Loss" }.Add("train", loss).ToSvg();</c></example>
    public static string ToSvg(this ISvgFigure figure)
    {
        var canvas = new SvgCanvas(figure.Width, figure.Height);
        figure.Render(canvas);
        return canvas.ToString();
    }

    /// <summary>Writes the figure to <paramref name="path"/> as SVG, atomically: readers never see a half-written file.</summary>
    /// <example><c>chart.Save("out/loss.svg");</c></example>
    public static void Save(this ISvgFigure figure, string path) => AtomicFile.WriteText(path, figure.ToSvg());
}
