using System.Globalization;
using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class LineChartTests
{
    private static readonly double[] Loss = [2.3, 1.1, 0.7, 0.5, 0.45, 0.44];

    [Fact]
    public void Legend_appears_only_with_more_than_one_series()
    {
        var one = SvgAssert.Texts(SvgAssert.Parse(new LineChart { Title = "Loss" }.Add("training loss", Loss)));
        var two = SvgAssert.Texts(SvgAssert.Parse(new LineChart { Title = "Loss" }.Add("training loss", Loss).Add("validation loss", Loss)));

        Assert.DoesNotContain("training loss", one);
        Assert.Contains("training loss", two);
        Assert.Contains("validation loss", two);
    }

    [Fact]
    public void Title_axis_labels_and_series_names_are_escaped()
    {
        var chart = new LineChart { Title = "<loss> & \"more\"", XLabel = "x<1>", YLabel = "a&b" }.Add("<train>", Loss).Add("val & test", Loss);

        var texts = SvgAssert.Texts(SvgAssert.Parse(chart));

        Assert.Contains("<loss> & \"more\"", texts);
        Assert.Contains("x<1>", texts);
        Assert.Contains("a&b", texts);
        Assert.Contains("<train>", texts);
        Assert.Contains("val & test", texts);
    }

    [Fact]
    public void Nan_values_split_the_line_into_runs()
    {
        double[] y = [1, 2, double.NaN, 3, 4, double.PositiveInfinity, 5, 6, 7];

        var doc = SvgAssert.Parse(new LineChart().Add("loss", y));

        var lines = SvgAssert.All(doc, "polyline");
        Assert.Equal(3, lines.Count);
        Assert.Equal([2, 2, 3], lines.Select(l => ((string)l.Attribute("points")!).Split(' ').Length));
    }

    [Fact]
    public void An_isolated_point_is_drawn_as_a_dot()
    {
        var doc = SvgAssert.Parse(new LineChart().Add("one epoch", [0.69], firstX: 1));

        Assert.Empty(SvgAssert.All(doc, "polyline"));
        Assert.Single(SvgAssert.All(doc, "circle"));
    }

    [Fact]
    public void A_constant_series_sits_mid_height_with_labelled_ticks_around_it()
    {
        var doc = SvgAssert.Parse(new LineChart { Height = 400, SmoothAbove = int.MaxValue }.Add("loss", Enumerable.Repeat(0.6931, 1000).ToArray()));

        var points = ((string)SvgAssert.All(doc, "polyline").Single().Attribute("points")!).Split(' ');
        var ys = points.Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Single(ys);
        var tickLabels = doc.Descendants(SvgAssert.Ns + "text").Where(t => (string?)t.Attribute("text-anchor") == "end")
            .Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(tickLabels, v => v < 0.6931);
        Assert.Contains(tickLabels, v => v > 0.6931);
        Assert.InRange(ys[0], 100, 300);
    }

    [Fact]
    public void Thousands_of_points_are_thinned_but_keep_their_shape()
    {
        var y = Enumerable.Range(0, 50_000).Select(i => 1.0 / (1 + i / 100.0)).ToArray();

        var doc = SvgAssert.Parse(new LineChart { MaxPointsPerSeries = 1500, SmoothAbove = int.MaxValue }.Add("loss", y));

        int drawn = ((string)SvgAssert.All(doc, "polyline").Single().Attribute("points")!).Split(' ').Length;
        Assert.InRange(drawn, 1000, 1500);
    }

    [Fact]
    public void A_long_noisy_series_is_drawn_faint_under_a_smoothed_line_and_the_x_axis_ends_at_the_data()
    {
        var rng = new Rng(3);
        var y = Enumerable.Range(0, 12_660).Select(i => 2.0 / (1 + i / 500.0) * (0.5 + rng.NextDouble())).ToArray();

        var doc = SvgAssert.Parse(new LineChart { Width = 640 }.Add("train", y, firstX: 1));

        var lines = SvgAssert.All(doc, "polyline");
        Assert.Equal(2, lines.Count);
        Assert.Equal("0.3", (string?)lines[0].Attribute("opacity"));
        Assert.Null(lines[1].Attribute("opacity"));
        double Roughness(System.Xml.Linq.XElement line)
        {
            var ys = ((string)line.Attribute("points")!).Split(' ').Select(p => double.Parse(p.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
            return ys.Zip(ys.Skip(1), (a, b) => Math.Abs(a - b)).Average();
        }
        Assert.True(Roughness(lines[1]) < Roughness(lines[0]) / 5, "the smoothed line should be far less jagged than the raw one");
        Assert.Contains(SvgAssert.Texts(doc), t => t.StartsWith("train (smoothed over 126", StringComparison.Ordinal));
        // The axis ends at iteration 12,660 rather than at the next round tick (15,000).
        var xTicks = doc.Descendants(SvgAssert.Ns + "text").Where(t => (string?)t.Attribute("text-anchor") == "middle")
            .Select(t => t.Value.Replace(",", "", StringComparison.Ordinal)).Where(v => double.TryParse(v, CultureInfo.InvariantCulture, out _))
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(10_000, xTicks);
        Assert.DoesNotContain(15_000, xTicks);
    }

    [Fact]
    public void Smoothing_is_an_exponential_average_corrected_for_its_start_and_skips_gaps()
    {
        var smoothed = LineChart.Smooth([1, 3, double.NaN, 3], window: 3); // β = 0.5
        Assert.Equal(1, smoothed[0], 12);
        Assert.Equal((0.5 * 0.5 + 0.5 * 3) / 0.75, smoothed[1], 12);
        Assert.True(double.IsNaN(smoothed[2]));
        Assert.Equal((0.5 * (0.5 * 0.5 + 0.5 * 3) + 0.5 * 3) / 0.875, smoothed[3], 12);
    }

    [Fact]
    public void Log_axis_leaves_out_values_that_are_not_positive()
    {
        double[] y = [1, 0.1, 0, 0.01, -1, 0.001];

        var doc = SvgAssert.Parse(new LineChart { LogY = true }.Add("loss", y));

        Assert.Single(SvgAssert.All(doc, "polyline")); // 1 → 0.1
        Assert.Equal(2, SvgAssert.All(doc, "circle").Count); // 0.01 and 0.001 stand alone between gaps
        Assert.Contains("0.001", SvgAssert.Texts(doc));
    }

    [Fact]
    public void A_marker_draws_a_dashed_line_and_its_label()
    {
        var doc = SvgAssert.Parse(new LineChart().Add("val", Loss, firstX: 1).AddMarker(4, "early stop, epoch 4"));

        Assert.Contains("early stop, epoch 4", SvgAssert.Texts(doc));
        Assert.Contains(SvgAssert.All(doc, "line"), l => l.Attribute("stroke-dasharray") is not null);
    }

    [Fact]
    public void A_series_with_no_finite_value_says_so()
    {
        var doc = SvgAssert.Parse(new LineChart().Add("diverged", [double.NaN, double.NaN]));

        Assert.Contains("no finite values to plot", SvgAssert.Texts(doc));
        Assert.Empty(SvgAssert.All(doc, "polyline"));
    }

    [Fact]
    public void Mismatched_lengths_name_the_series()
    {
        var e = Assert.Throws<ArgumentException>(() => new LineChart().Add("train", [1.0, 2.0], [1.0]));

        Assert.Contains("train", e.Message);
    }
}
