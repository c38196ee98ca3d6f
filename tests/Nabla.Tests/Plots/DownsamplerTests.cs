using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class DownsamplerTests
{
    [Fact]
    public void Thinning_keeps_endpoints_and_extremes()
    {
        int n = 100_000;
        var x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var y = x.Select(v => Math.Sin(v / 5000)).ToArray();
        y[31_337] = 9;   // a spike
        y[77_777] = -9;  // a dip

        var (xs, ys) = Downsampler.MinMax(x, y, 1500);

        Assert.InRange(xs.Length, 1000, 1500);
        Assert.Equal(0, xs[0]);
        Assert.Equal(n - 1, xs[^1]);
        Assert.Contains(9, ys);
        Assert.Contains(-9, ys);
        Assert.True(xs.Zip(xs.Skip(1)).All(p => p.First < p.Second), "x must stay in order");
    }

    [Fact]
    public void Thinning_keeps_a_gap_where_the_series_has_nan()
    {
        var y = Enumerable.Range(0, 10_000).Select(i => i is >= 5000 and < 5003 ? double.NaN : i).ToArray();
        var x = Enumerable.Range(0, y.Length).Select(i => (double)i).ToArray();

        var (_, ys) = Downsampler.MinMax(x, y, 500);

        Assert.Contains(ys, double.IsNaN);
    }

    [Fact]
    public void Short_series_are_untouched()
    {
        double[] x = [0, 1, 2], y = [3, double.NaN, 5];

        var (xs, ys) = Downsampler.MinMax(x, y, 1500);

        Assert.Equal(x, xs);
        Assert.Equal(y, ys);
    }
}
