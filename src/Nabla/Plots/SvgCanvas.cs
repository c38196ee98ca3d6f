using System.Globalization;
using System.Text;

namespace Nabla.Plots;

/// <summary>
/// A small SVG writer: shapes and text appended in drawing order, coordinates in pixels with the
/// origin at the top left. Numbers are written invariantly with at most one decimal (a tenth of a
/// pixel is below what any screen shows; more digits only add bytes) and text is XML-escaped, so any string is safe to pass.
/// </summary>
/// <example><code>
/// var svg = new SvgCanvas(200, 100);
/// svg.Text(100, 50, "x &lt; y", 14, TextAnchor.Middle);
/// File.WriteAllText("a.svg", svg.ToString());
/// </code></example>
public sealed class SvgCanvas
{
    /// <summary>Font stack for every text element: the platform's UI font, then any sans-serif.</summary>
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

    private readonly StringBuilder body = new();

    /// <summary>Creates an empty canvas of the given size in pixels.</summary>
    public SvgCanvas(double width, double height)
    {
        if (!(width > 0) || !(height > 0))
            throw new ArgumentException($"Expected a positive canvas size; received {width} x {height}.");
        Width = width;
        Height = height;
    }

    /// <summary>Canvas width in pixels.</summary>
    public double Width { get; }

    /// <summary>Canvas height in pixels.</summary>
    public double Height { get; }

    /// <summary>A rectangle; <paramref name="stroke"/> null draws no outline.</summary>
    public void Rect(double x, double y, double width, double height, string fill,
        string? stroke = null, double strokeWidth = 1, double opacity = 1)
    {
        body.Append("<rect x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y))
            .Append("\" width=\"").Append(Num(width)).Append("\" height=\"").Append(Num(height))
            .Append("\" fill=\"").Append(Escape(fill)).Append('"');
        AppendStroke(stroke, strokeWidth);
        if (opacity < 1)
            body.Append(" opacity=\"").Append(Num(opacity)).Append('"');
        body.Append("/>\n");
    }

    /// <summary>A straight line; <paramref name="dash"/> is an SVG dash array such as "6 4".</summary>
    public void Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? dash = null)
    {
        body.Append("<line x1=\"").Append(Num(x1)).Append("\" y1=\"").Append(Num(y1))
            .Append("\" x2=\"").Append(Num(x2)).Append("\" y2=\"").Append(Num(y2)).Append('"');
        AppendStroke(stroke, strokeWidth);
        if (dash is not null)
            body.Append(" stroke-dasharray=\"").Append(Escape(dash)).Append('"');
        body.Append("/>\n");
    }

    /// <summary>An open polyline through the points (<paramref name="xs"/>[i], <paramref name="ys"/>[i]); <paramref name="opacity"/> below 1 draws it faint.</summary>
    public void Polyline(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, string stroke, double strokeWidth = 1.5, string? dash = null, double opacity = 1)
    {
        if (xs.Length != ys.Length)
            throw new ArgumentException($"Expected as many y as x coordinates ({xs.Length}); received {ys.Length}.");
        body.Append("<polyline fill=\"none\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"");
        for (int i = 0; i < xs.Length; i++)
        {
            if (i > 0)
                body.Append(' ');
            body.Append(Num(xs[i])).Append(',').Append(Num(ys[i]));
        }
        body.Append('"');
        AppendStroke(stroke, strokeWidth);
        if (dash is not null)
            body.Append(" stroke-dasharray=\"").Append(Escape(dash)).Append('"');
        if (opacity < 1)
            body.Append(" opacity=\"").Append(Num(opacity)).Append('"');
        body.Append("/>\n");
    }

    /// <summary>A filled polygon through the points (<paramref name="xs"/>[i], <paramref name="ys"/>[i]), without an outline: a band between two curves.</summary>
    public void Polygon(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, string fill, double opacity = 1)
    {
        if (xs.Length != ys.Length)
            throw new ArgumentException($"Expected as many y as x coordinates ({xs.Length}); received {ys.Length}.");
        body.Append("<polygon stroke=\"none\" fill=\"").Append(Escape(fill)).Append("\" points=\"");
        for (int i = 0; i < xs.Length; i++)
        {
            if (i > 0)
                body.Append(' ');
            body.Append(Num(xs[i])).Append(',').Append(Num(ys[i]));
        }
        body.Append('"');
        if (opacity < 1)
            body.Append(" opacity=\"").Append(Num(opacity)).Append('"');
        body.Append("/>\n");
    }

    /// <summary>A circle; <paramref name="stroke"/> null draws no outline.</summary>
    public void Circle(double cx, double cy, double r, string fill, string? stroke = null, double strokeWidth = 1)
    {
        body.Append("<circle cx=\"").Append(Num(cx)).Append("\" cy=\"").Append(Num(cy))
            .Append("\" r=\"").Append(Num(r)).Append("\" fill=\"").Append(Escape(fill)).Append('"');
        AppendStroke(stroke, strokeWidth);
        body.Append("/>\n");
    }

    /// <summary>
    /// One line of text whose baseline is at <paramref name="y"/>, rotated by <paramref name="rotate"/>
    /// degrees about (x, y). <paramref name="halo"/> paints a white outline under the glyphs so labels
    /// stay legible where they cross lines.
    /// </summary>
    public void Text(double x, double y, string text, double size = 12, TextAnchor anchor = TextAnchor.Start,
        string fill = "#222", bool bold = false, double rotate = 0, bool halo = false)
    {
        body.Append("<text x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y))
            .Append("\" font-size=\"").Append(Num(size)).Append("\" fill=\"").Append(Escape(fill)).Append('"');
        if (anchor != TextAnchor.Start)
            body.Append(" text-anchor=\"").Append(anchor == TextAnchor.Middle ? "middle" : "end").Append('"');
        if (bold)
            body.Append(" font-weight=\"600\"");
        if (rotate != 0)
            body.Append(" transform=\"rotate(").Append(Num(rotate)).Append(' ').Append(Num(x)).Append(' ').Append(Num(y)).Append(")\"");
        if (halo)
            body.Append(" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
        body.Append('>').Append(Escape(text)).Append("</text>\n");
    }

    /// <summary>
    /// A raster image from a data URI (see <see cref="PngEncoder"/>), stretched to the rectangle.
    /// <paramref name="smooth"/> false keeps pixels crisp, which suits small images shown large.
    /// </summary>
    public void Image(double x, double y, double width, double height, string dataUri, bool smooth)
    {
        if (!dataUri.StartsWith("data:", StringComparison.Ordinal))
            throw new ArgumentException("Expected a data: URI so the SVG stays self-contained; received another URI.", nameof(dataUri));
        body.Append("<image x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y))
            .Append("\" width=\"").Append(Num(width)).Append("\" height=\"").Append(Num(height))
            .Append("\" preserveAspectRatio=\"none\"");
        if (!smooth)
            body.Append(" style=\"image-rendering:pixelated\"");
        body.Append(" href=\"").Append(Escape(dataUri)).Append("\"/>\n");
    }

    /// <summary>Starts a group whose contents are shifted by (dx, dy); close it with <see cref="EndGroup"/>.</summary>
    public void BeginGroup(double dx, double dy)
    {
        body.Append("<g transform=\"translate(").Append(Num(dx)).Append(' ').Append(Num(dy)).Append(")\">\n");
    }

    /// <summary>
    /// Starts a group whose <see cref="Dot"/>s share one fill and outline, written once instead of
    /// on every point; close it with <see cref="EndGroup"/>.
    /// </summary>
    public void BeginGroup(string fill, string? stroke = null, double strokeWidth = 1)
    {
        body.Append("<g fill=\"").Append(Escape(fill)).Append('"');
        AppendStroke(stroke, strokeWidth);
        body.Append(">\n");
    }

    /// <summary>A circle painted by its enclosing group (see <see cref="BeginGroup(string, string?, double)"/>).</summary>
    public void Dot(double cx, double cy, double r)
    {
        body.Append("<circle cx=\"").Append(Num(cx)).Append("\" cy=\"").Append(Num(cy)).Append("\" r=\"").Append(Num(r)).Append("\"/>\n");
    }

    /// <summary>Closes the group opened by the matching BeginGroup.</summary>
    public void EndGroup() => body.Append("</g>\n");

    /// <summary>
    /// The complete SVG document. It carries width, height and a viewBox, so it keeps its aspect
    /// ratio when a page scales it, and needs no external resources.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder(body.Length + 300);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(Num(Width))
            .Append("\" height=\"").Append(Num(Height)).Append("\" viewBox=\"0 0 ").Append(Num(Width)).Append(' ').Append(Num(Height))
            .Append("\" font-family=\"").Append(Escape(FontFamily)).Append("\">\n")
            .Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n")
            .Append(body)
            .Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Escapes the five XML special characters so <paramref name="text"/> is safe in text and attributes.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("<>&\"'") < 0)
            return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>A coordinate as SVG wants it: invariant culture, at most one decimal, no "-0".</summary>
    public static string Num(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"Expected a finite coordinate; received {value}.", nameof(value));
        double rounded = Math.Round(value, 1);
        return rounded == 0 ? "0" : rounded.ToString("0.#", CultureInfo.InvariantCulture);
    }

    private void AppendStroke(string? stroke, double strokeWidth)
    {
        if (stroke is null)
            return;
        body.Append(" stroke=\"").Append(Escape(stroke)).Append("\" stroke-width=\"").Append(Num(strokeWidth)).Append('"');
    }
}
