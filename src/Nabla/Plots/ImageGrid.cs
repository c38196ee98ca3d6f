namespace Nabla.Plots;

/// <summary>
/// Small grayscale images in a grid, each with a caption under it: misclassified test images with
/// "true: X" and "pred: Y". Each image is embedded as a PNG data URI and drawn with crisp pixels.
/// Captions may hold several lines separated by '\n'; lines after the first are drawn in a warm
/// accent colour, so a prediction under its true label stands out.
/// </summary>
/// <example><code>
/// var grid = new ImageGrid(columns: 8) { Title = "Misclassified test images" };
/// grid.Add(pixels, 28, 28, "true: Shirt\npred: T-shirt/top");
/// grid.Save("misclassified.svg");
/// </code></example>
public sealed class ImageGrid : ISvgFigure
{
    private const double CaptionSize = 11.5;
    private const int Gap = 10;
    private readonly List<(string Uri, string[] Caption)> images = [];

    /// <summary>Creates an empty grid with <paramref name="columns"/> images per row.</summary>
    public ImageGrid(int columns = 8)
    {
        if (columns < 1)
            throw new ArgumentException($"Expected a positive number of columns; received {columns}.", nameof(columns));
        Columns = columns;
    }

    /// <summary>Images per row.</summary>
    public int Columns { get; }

    /// <summary>Title above the grid, or null for none.</summary>
    public string? Title { get; set; }

    /// <summary>Displayed side of each image in pixels (a 28×28 image is scaled up 3×).</summary>
    public int ImageSize { get; set; } = 84;

    private double CellWidth => Math.Max(ImageSize, images.SelectMany(i => i.Caption).Select(l => TextMeasure.Width(l, CaptionSize)).DefaultIfEmpty(0).Max()) + Gap;

    private double CaptionLines => images.Select(i => i.Caption.Length).DefaultIfEmpty(0).Max();

    private double CellHeight => ImageSize + 6 + CaptionLines * (CaptionSize + 3) + Gap;

    private double TitleHeight => string.IsNullOrEmpty(Title) ? 8 : ChartHeader.TitleSize + 20;

    /// <inheritdoc/>
    public int Width => (int)Math.Ceiling(Math.Max(Gap + Math.Min(Columns, Math.Max(1, images.Count)) * CellWidth,
        string.IsNullOrEmpty(Title) ? 0 : TextMeasure.Width(Title, ChartHeader.TitleSize) + 2 * Gap));

    /// <inheritdoc/>
    public int Height => (int)Math.Ceiling(TitleHeight + Math.Max(1, (images.Count + Columns - 1) / Columns) * CellHeight);

    /// <summary>Adds an image of <paramref name="width"/> × <paramref name="height"/> values in [0, 1] (0 black, 1 white), row-major; values outside are clamped.</summary>
    public ImageGrid Add(ReadOnlySpan<float> pixels, int width, int height, string caption)
    {
        CheckSize(pixels.Length, width, height);
        var gray = new byte[pixels.Length];
        for (int i = 0; i < gray.Length; i++)
            gray[i] = ToByte(pixels[i]);
        return Add(gray, width, height, caption);
    }

    /// <summary>Adds an image of <paramref name="width"/> × <paramref name="height"/> values in [0, 1] (0 black, 1 white), row-major; values outside are clamped.</summary>
    public ImageGrid Add(ReadOnlySpan<double> pixels, int width, int height, string caption)
    {
        CheckSize(pixels.Length, width, height);
        var gray = new byte[pixels.Length];
        for (int i = 0; i < gray.Length; i++)
            gray[i] = ToByte(pixels[i]);
        return Add(gray, width, height, caption);
    }

    /// <inheritdoc/>
    public void Render(SvgCanvas canvas)
    {
        if (!string.IsNullOrEmpty(Title))
            canvas.Text(Width / 2.0, 8 + ChartHeader.TitleSize, Title, ChartHeader.TitleSize, TextAnchor.Middle, bold: true);
        double cw = CellWidth, ch = CellHeight;
        // Centred under a title wider than the images.
        double left = (Width - Math.Min(Columns, Math.Max(1, images.Count)) * cw) / 2;
        for (int i = 0; i < images.Count; i++)
        {
            double x = left + (i % Columns) * cw + (cw - ImageSize) / 2;
            double y = TitleHeight + (i / Columns) * ch;
            canvas.Image(x, y, ImageSize, ImageSize, images[i].Uri, smooth: false);
            canvas.Rect(x, y, ImageSize, ImageSize, "none", "#999", 0.8);
            string[] lines = images[i].Caption;
            for (int l = 0; l < lines.Length; l++)
                canvas.Text(x + ImageSize / 2.0, y + ImageSize + 4 + (l + 1) * (CaptionSize + 3) - 3, lines[l], CaptionSize, TextAnchor.Middle,
                    l == 0 ? "#222" : "#B23A00");
        }
    }

    private ImageGrid Add(byte[] gray, int width, int height, string caption)
    {
        images.Add((PngEncoder.ToDataUri(PngEncoder.Encode(gray, width, height, channels: 1)), caption.Split('\n')));
        return this;
    }

    private static void CheckSize(int length, int width, int height)
    {
        if (width < 1 || height < 1 || length != width * height)
            throw new ArgumentException($"Expected {width} x {height} = {width * height} pixels; received {length}.");
    }

    private static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(double.IsFinite(v) ? v : 0, 0, 1) * 255);
}
