using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class ChartTests
{
    private static readonly double[,] Points = { { 0, 0 }, { 1, 1 }, { 2, 0.5 }, { -1, 2 } };
    private static readonly int[] Labels = [0, 1, 1, 0];

    [Fact]
    public void Scatter_draws_every_point_with_an_escaped_class_legend()
    {
        var doc = SvgAssert.Parse(new ScatterChart(Points, Labels, ["<A&B>", "C > D"]) { Title = "data" });

        Assert.Equal(4 + 2, SvgAssert.All(doc, "circle").Count); // the points plus one legend swatch per class
        Assert.Contains("<A&B>", SvgAssert.Texts(doc));
        Assert.Contains("C > D", SvgAssert.Texts(doc));
    }

    [Fact]
    public void Scatter_of_one_class_has_no_legend()
    {
        var doc = SvgAssert.Parse(new ScatterChart(Points, [0, 0, 0, 0], ["only"]));

        Assert.DoesNotContain("only", SvgAssert.Texts(doc));
    }

    [Fact]
    public void Scatter_rejects_a_label_outside_the_class_names()
    {
        Assert.Throws<ArgumentException>(() => new ScatterChart(Points, [0, 1, 2, 0], ["a", "b"]));
    }

    [Fact]
    public void Class_grid_calls_the_classifier_once_over_a_box_with_margin()
    {
        int calls = 0;
        var grid = ClassGrid.Compute(xs =>
        {
            calls++;
            Assert.Equal(50 * 50, xs.GetLength(0));
            return [.. Enumerable.Range(0, xs.GetLength(0)).Select(i => xs[i, 0] > 0.5 ? 1 : 0)];
        }, Points, resolution: 50, margin: 0.1);

        Assert.Equal(1, calls);
        Assert.Equal(-1.3, grid.XMin, 9);
        Assert.Equal(2.3, grid.XMax, 9);
        Assert.Equal(-0.2, grid.YMin, 9);
        Assert.Equal(2.2, grid.YMax, 9);
        Assert.Equal(0, grid.Classes[0, 0]);
        Assert.Equal(1, grid.Classes[49, 49]);
    }

    [Fact]
    public void Decision_boundary_embeds_the_regions_as_png_and_draws_the_points()
    {
        var grid = ClassGrid.ComputeProbability(xs => [.. Enumerable.Range(0, xs.GetLength(0)).Select(i => 1 / (1 + Math.Exp(-xs[i, 0])))], Points, resolution: 40);

        var doc = SvgAssert.Parse(new DecisionBoundary(grid, Points, Labels, ["a", "b"]) { Title = "tanh" });

        string href = (string)SvgAssert.All(doc, "image").Single().Attribute("href")!;
        Assert.StartsWith("data:image/png;base64,", href);
        var png = PngDecoder.Decode(Convert.FromBase64String(href["data:image/png;base64,".Length..]));
        Assert.Equal((40, 40, 3), (png.Width, png.Height, png.Channels));
        Assert.Equal(4 + 2, SvgAssert.All(doc, "circle").Count);
    }

    [Fact]
    public void Heatmap_shows_counts_and_rotates_long_class_names()
    {
        int[,] counts = { { 50, 2, 0 }, { 3, 40, 7 }, { 0, 0, 9 } };
        string[] names = ["T-shirt/top", "Trouser & <co>", "Ankle boot"];

        var doc = SvgAssert.Parse(new Heatmap(counts, names) { Title = "confusion" });

        var texts = SvgAssert.Texts(doc);
        foreach (int c in counts)
            Assert.Contains(c.ToString(System.Globalization.CultureInfo.InvariantCulture), texts);
        Assert.Equal(2, texts.Count(t => t == "Trouser & <co>")); // once per axis
        Assert.Contains("true class", texts);
        Assert.Contains("predicted class", texts);
        Assert.Contains(doc.Descendants(SvgAssert.Ns + "text"), t => ((string?)t.Attribute("transform"))?.Contains("rotate(-45") == true);
    }

    [Fact]
    public void Heatmap_with_short_names_keeps_them_horizontal()
    {
        var doc = SvgAssert.Parse(new Heatmap(new[,] { { 1, 0 }, { 0, 1 } }, ["A", "B"]));

        Assert.DoesNotContain(doc.Descendants(SvgAssert.Ns + "text"), t => ((string?)t.Attribute("transform"))?.Contains("rotate(-45") == true);
    }

    [Fact]
    public void Image_grid_embeds_one_png_per_image_with_its_caption()
    {
        var grid = new ImageGrid(columns: 2) { Title = "misclassified" };
        for (int k = 0; k < 3; k++)
            grid.Add(Enumerable.Range(0, 28 * 28).Select(i => (float)(i % 28) / 27).ToArray(), 28, 28, $"true: {k}\npred: <{k + 1}>");

        var doc = SvgAssert.Parse(grid);

        Assert.Equal(3, SvgAssert.All(doc, "image").Count);
        Assert.Contains("pred: <3>", SvgAssert.Texts(doc));
        Assert.True(grid.Height > 2 * grid.ImageSize);
    }

    [Fact]
    public void Figure_places_panels_side_by_side()
    {
        var a = new LineChart { Width = 300, Height = 200 }.Add("a", [1.0, 2.0]);
        var b = new LineChart { Width = 400, Height = 250 }.Add("b", [1.0, 2.0]);

        var figure = new Figure(columns: 2) { Title = "Two" }.Add(a).Add(b);
        var doc = SvgAssert.Parse(figure);

        Assert.True(figure.Width >= 700 && figure.Width < 760);
        Assert.True(figure.Height >= 250);
        Assert.Equal(2, doc.Descendants(SvgAssert.Ns + "g").Count(g => ((string?)g.Attribute("transform"))?.StartsWith("translate") == true));
    }

    [Fact]
    public void Parameter_traces_give_one_panel_per_parameter_and_cap_many()
    {
        var names = Enumerable.Range(0, 12).Select(i => $"w{i}").ToArray();
        var values = new double[100, 12];
        var few = ParameterTraces.Create(names, values, "weights");
        var manyNames = Enumerable.Range(0, 1000).Select(i => $"w{i}").ToArray();
        var many = ParameterTraces.Create(manyNames, new double[10, 1000], "weights", maxPanels: 24);

        Assert.Equal(12, few.Panels.Count);
        SvgAssert.Parse(few);
        Assert.Equal(24, many.Panels.Count);
        Assert.Contains("24 of 1,000", many.Title);
        Assert.Equal("w999", ((LineChart)many.Panels[^1]).Title);
        Assert.Throws<ArgumentException>(() => ParameterTraces.Create(names[..5], values));
    }
}
