namespace Nabla.Tests;

public sealed class RngTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void NextDoubles_gives_the_numbers_NextDouble_would_and_leaves_the_same_state(int count)
    {
        var one = new Rng(42);
        var many = new Rng(42);
        one.NextUInt64(); // both a step into the sequence, so the state is not the seed's
        many.NextUInt64();
        var expected = Enumerable.Range(0, count).Select(_ => one.NextDouble()).ToArray();
        var actual = new double[count];
        many.NextDoubles(actual);
        Assert.Equal(expected, actual);
        Assert.Equal(one.State, many.State);
        Assert.Equal(one.NextUInt64(), many.NextUInt64());
    }

    [Fact]
    public void NextDoubles_are_in_the_unit_interval()
    {
        var values = new double[10_000];
        new Rng(7).NextDoubles(values);
        Assert.All(values, v => Assert.True(v >= 0 && v < 1, $"{v} is outside [0, 1)"));
        Assert.InRange(values.Average(), 0.49, 0.51);
    }
}
