using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class BandChartTests
{
    [Fact]
    public void TwoBandsAndTheMeanLineSpanTheSpread()
    {
        var chart = new BandChart { Title = "0.weight (weight)", XLabel = "step" };
        for (int step = 0; step <= 4; step++)
            chart.Add(step * 100, -1 - step, -0.5, 0.1 * step, 0.5, 1 + step);

        var doc = SvgAssert.Parse(chart);

        var bands = SvgAssert.All(doc, "polygon");
        Assert.Equal(2, bands.Count);
        // Each band goes out along its upper edge and back along its lower one: 2 × 5 points.
        Assert.All(bands, b => Assert.Equal(10, ((string)b.Attribute("points")!).Split(' ').Length));
        Assert.Single(SvgAssert.All(doc, "polyline"));
        Assert.Contains("min–max", SvgAssert.Texts(doc));
        Assert.Contains("400", SvgAssert.Texts(doc));
    }

    [Fact]
    public void OnePointIsAnIntervalAndNonFinitePointsAreLeftOut()
    {
        var chart = new BandChart { ShowLegend = false }.Add(0, -1, -0.5, 0, 0.5, 1).Add(1, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

        var doc = SvgAssert.Parse(chart);

        Assert.Empty(SvgAssert.All(doc, "polygon"));
        Assert.Single(SvgAssert.All(doc, "circle"));
        Assert.DoesNotContain("mean", SvgAssert.Texts(doc));
    }
}
