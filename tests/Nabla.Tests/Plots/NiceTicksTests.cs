using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class NiceTicksTests
{
    public static TheoryData<double, double> Ranges => new()
    {
        { 0, 1 }, { 0.0512, 0.0518 }, { -3.7, 12.2 }, { 0, 9999 }, { 1e-7, 3e-7 }, { -1e6, 5e6 }, { 0.6931, 0.6931 }, { 0, 0 }, { -42, -42 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Linear_ticks_are_one_two_five_steps_covering_the_range(double lo, double hi)
    {
        var ticks = NiceTicks.Linear(lo, hi, 5);

        Assert.True(ticks.Min <= lo && ticks.Max >= hi, $"axis [{ticks.Min}, {ticks.Max}] does not cover [{lo}, {hi}]");
        Assert.Equal(ticks.Min, ticks.Values[0]);
        Assert.Equal(ticks.Max, ticks.Values[^1]);
        Assert.InRange(ticks.Values.Length, 3, 12);
        double mantissa = ticks.Step / Math.Pow(10, Math.Floor(Math.Log10(ticks.Step)));
        Assert.Contains(Math.Round(mantissa, 6), new[] { 1.0, 2.0, 5.0 });
        for (int i = 0; i < ticks.Values.Length; i++)
        {
            Assert.Equal(0, Math.Abs(ticks.Values[i] / ticks.Step - Math.Round(ticks.Values[i] / ticks.Step)), 6);
            if (i > 0)
                Assert.Equal(ticks.Step, ticks.Values[i] - ticks.Values[i - 1], ticks.Step * 1e-6);
        }
    }

    [Fact]
    public void Unit_range_gets_the_ticks_a_person_would_choose()
    {
        var ticks = NiceTicks.Linear(0, 1, 5);

        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], ticks.Values, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1.0"], ticks.Values.Select(ticks.Label));
    }

    [Fact]
    public void A_flat_range_is_widened_to_one_percent_either_side()
    {
        var ticks = NiceTicks.Linear(0.6931, 0.6931 + 1e-7);

        Assert.True(ticks.Min <= 0.6931 * 0.99 + 1e-12 && ticks.Max >= 0.6931 * 1.01 - 1e-12, $"[{ticks.Min}, {ticks.Max}]");
        Assert.True(ticks.Max - ticks.Min < 0.05);
        Assert.All(ticks.Values, v => Assert.DoesNotContain("e", ticks.Label(v)));
    }

    [Fact]
    public void Zero_range_at_zero_is_widened_by_a_half()
    {
        var ticks = NiceTicks.Linear(0, 0);

        Assert.True(ticks.Min <= -0.5 && ticks.Max >= 0.5);
    }

    [Fact]
    public void Within_keeps_the_given_range_and_puts_ticks_inside_it()
    {
        var ticks = NiceTicks.Within(-1.23, 2.71, 4);

        Assert.Equal(-1.23, ticks.Min);
        Assert.Equal(2.71, ticks.Max);
        Assert.All(ticks.Values, v => Assert.InRange(v, -1.23, 2.71));
        Assert.Equal([-1, 0, 1, 2], ticks.Values);
    }

    [Theory]
    [InlineData(0.06, 1.4)]
    [InlineData(1e-5, 10)]
    [InlineData(0.3, 0.9)]
    [InlineData(2.5, 2.5)]
    [InlineData(1e-12, 1)]
    public void Log_ticks_cover_the_data_with_powers_of_ten_or_one_two_five(double lo, double hi)
    {
        var ticks = NiceTicks.Log(lo, hi);

        Assert.True(ticks.Min <= lo && ticks.Max >= hi);
        Assert.True(ticks.Values.Length >= 2, $"only {ticks.Values.Length} ticks for [{lo}, {hi}]");
        Assert.All(ticks.Values, v => Assert.InRange(v, ticks.Min * (1 - 1e-9), ticks.Max * (1 + 1e-9)));
        Assert.All(ticks.Values, v =>
        {
            double mantissa = v / Math.Pow(10, Math.Floor(Math.Log10(v) + 1e-9));
            Assert.Equal(Math.Round(mantissa), mantissa, 6);
        });
    }

    [Fact]
    public void Labels_use_separators_and_exponents_only_where_they_help()
    {
        var big = NiceTicks.Linear(0, 20000);
        var tiny = NiceTicks.Linear(0, 3e-5);

        Assert.Equal("20,000", big.Label(20000));
        Assert.Equal("5000", big.Label(5000));
        Assert.Equal("2e-5", tiny.Label(2e-5));
        Assert.Equal("0", tiny.Label(0));
    }
}
