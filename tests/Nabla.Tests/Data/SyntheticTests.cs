using Nabla.Data;

namespace Nabla.Tests.Data;

public class SyntheticTests
{
    public static TheoryData<string> Generators => ["gaussians", "moons", "circles", "spiral", "xor"];

    private static Dataset<double> Make(string name, int samples, ulong seed) => name switch
    {
        "gaussians" => Synthetic.Gaussians<double>(samples, seed),
        "moons" => Synthetic.Moons<double>(samples, 0.2, seed),
        "circles" => Synthetic.Circles<double>(samples, 0.05, 0.5, seed),
        "spiral" => Synthetic.Spiral<double>(samples, 2, 0.1, seed),
        _ => Synthetic.Xor<double>(samples, 0.1, seed),
    };

    [Theory]
    [MemberData(nameof(Generators))]
    public void HasTheRequestedShapeAndBalancedClasses(string name)
    {
        var d = Make(name, 201, 7);
        Assert.Equal(201, d.Count);
        Assert.Equal(2, d.FeatureCount);
        Assert.Equal(["0", "1"], d.ClassNames);
        int ones = d.Labels!.Count(l => l == 1);
        Assert.InRange(ones, 100, 101);
        Assert.True(d.Features.Span.ToArray().All(double.IsFinite));
    }

    [Theory]
    [MemberData(nameof(Generators))]
    public void IsDeterministicBySeed(string name)
    {
        var a = Make(name, 100, 3);
        var b = Make(name, 100, 3);
        var c = Make(name, 100, 4);
        Assert.Equal(a.Features.Span.ToArray(), b.Features.Span.ToArray());
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Features.Span.ToArray(), c.Features.Span.ToArray());
    }

    [Fact]
    public void GaussiansHaveSeed000Moments()
    {
        var d = Synthetic.Gaussians<double>(20_000, 1);
        foreach (var (label, mean, std) in new[] { (0, 1.0, 0.5), (1, 2.0, 0.2) })
        {
            var xs = Enumerable.Range(0, d.Count).Where(i => d.Labels![i] == label).SelectMany(i => d.Features.Row(i).ToArray()).ToArray();
            double m = xs.Average();
            double s = Math.Sqrt(xs.Select(x => (x - m) * (x - m)).Average());
            Assert.Equal(mean, m, 0.02);
            Assert.Equal(std, s, 0.02);
        }
    }

    [Fact]
    public void NoiselessMoonsLieExactlyOnTheirHalfCircles()
    {
        var d = Synthetic.Moons<double>(200, 0, 5);
        for (int i = 0; i < d.Count; i++)
        {
            double x = d.Features[i, 0], y = d.Features[i, 1];
            if (d.Labels![i] == 0)
            {
                Assert.Equal(1.0, x * x + y * y, 1e-12);
                Assert.True(y >= -1e-15);
            }
            else
            {
                // Centre (1, 0.5), radius 1, lower half.
                Assert.Equal(1.0, (x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1e-12);
                Assert.True(y <= 0.5 + 1e-15);
            }
        }
    }

    [Fact]
    public void NoiselessMoonsHaveMakeMoonsMeans()
    {
        // make_moons(200, noise=0): mean (0.5, 0.25); the outer half circle's mean sin t over
        // linspace(0, π, 100) is cot(π / 198) / 100.
        var d = Synthetic.Moons<double>(200, 0, 9);
        var rows = Enumerable.Range(0, d.Count).ToArray();
        Assert.Equal(0.5, rows.Average(i => d.Features[i, 0]), 1e-12);
        Assert.Equal(0.25, rows.Average(i => d.Features[i, 1]), 1e-12);
        double outerY = rows.Where(i => d.Labels![i] == 0).Average(i => d.Features[i, 1]);
        Assert.Equal(1 / Math.Tan(Math.PI / 198) / 100, outerY, 1e-12);
        Assert.Equal(100, d.Labels!.Count(l => l == 0));
    }

    [Fact]
    public void MoonsSplitAnOddCountLikeMakeMoons()
    {
        var d = Synthetic.Moons<float>(201, 0.2, 1);
        Assert.Equal(100, d.Labels!.Count(l => l == 0));
        Assert.Equal(101, d.Labels!.Count(l => l == 1));
    }

    [Fact]
    public void NoiselessCirclesHaveRadiusOneAndFactor()
    {
        var d = Synthetic.Circles<double>(100, 0, 0.3, 2);
        for (int i = 0; i < d.Count; i++)
        {
            double r = Math.Sqrt(d.Features[i, 0] * d.Features[i, 0] + d.Features[i, 1] * d.Features[i, 1]);
            Assert.Equal(d.Labels![i] == 0 ? 1.0 : 0.3, r, 1e-12);
        }
    }

    [Fact]
    public void SpiralHasOneClassPerArm()
    {
        var d = Synthetic.Spiral<double>(302, 4, 0, 1);
        Assert.Equal(["0", "1", "2", "3"], d.ClassNames);
        Assert.Equal([76, 76, 75, 75], Enumerable.Range(0, 4).Select(k => d.Labels!.Count(l => l == k)).ToArray());
        for (int i = 0; i < d.Count; i++)
            Assert.True(Math.Sqrt(d.Features[i, 0] * d.Features[i, 0] + d.Features[i, 1] * d.Features[i, 1]) <= 1 + 1e-12);
    }

    [Fact]
    public void XorLabelsAreTheXorOfTheNearestCorner()
    {
        var d = Synthetic.Xor<double>(400, 0.1, 3);
        for (int i = 0; i < d.Count; i++)
        {
            int a = d.Features[i, 0] > 0.5 ? 1 : 0, b = d.Features[i, 1] > 0.5 ? 1 : 0;
            if (Math.Abs(d.Features[i, 0] - 0.5) > 0.45 && Math.Abs(d.Features[i, 1] - 0.5) > 0.45)
                Assert.Equal(a ^ b, d.Labels![i]);
        }
    }

    [Fact]
    public void XorTableIsTheTruthTable()
    {
        var d = Synthetic.XorTable<float>();
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], d.Features.Span.ToArray());
        Assert.Equal([0, 1, 1, 0], d.Labels!);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<NablaInputException>(() => Synthetic.Moons<float>(1, 0.1, 0));
        Assert.Throws<NablaInputException>(() => Synthetic.Moons<float>(10, -0.1, 0));
        Assert.Throws<NablaInputException>(() => Synthetic.Circles<float>(10, 0.1, 1.0, 0));
        Assert.Throws<NablaInputException>(() => Synthetic.Spiral<float>(10, 1, 0.1, 0));
    }
}
