using System.Xml.Linq;
using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class SvgCanvasTests
{
    [Fact]
    public void Text_and_attributes_are_escaped()
    {
        var canvas = new SvgCanvas(100, 50);
        canvas.Text(10, 20, "a < b && c > \"d\" 'e'");
        canvas.Rect(0, 0, 10, 10, "url(\"x\")<");

        var doc = XDocument.Parse(canvas.ToString());

        Assert.Equal("a < b && c > \"d\" 'e'", doc.Descendants(SvgAssert.Ns + "text").Single().Value);
        Assert.Equal("url(\"x\")<", (string?)doc.Descendants(SvgAssert.Ns + "rect").Last().Attribute("fill"));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-0.04, "0")]
    [InlineData(1234.5678, "1234.6")]
    [InlineData(-2.25, "-2.2")]
    public void Numbers_are_invariant_and_short(double value, string expected)
    {
        Assert.Equal(expected, SvgCanvas.Num(value));
    }

    [Fact]
    public void Document_has_a_view_box_and_the_ui_font()
    {
        var root = XDocument.Parse(new SvgCanvas(640, 400).ToString()).Root!;

        Assert.Equal("0 0 640 400", (string?)root.Attribute("viewBox"));
        Assert.Contains("sans-serif", (string?)root.Attribute("font-family"));
    }

    [Fact]
    public void Non_finite_coordinates_and_external_images_are_refused()
    {
        var canvas = new SvgCanvas(10, 10);

        Assert.Throws<ArgumentException>(() => canvas.Circle(double.NaN, 1, 1, "#000"));
        Assert.Throws<ArgumentException>(() => canvas.Image(0, 0, 1, 1, "https://example.com/a.png", smooth: true));
    }
}
