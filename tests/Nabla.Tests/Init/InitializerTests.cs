using Nabla.Init;
using Nabla.Tensors;

namespace Nabla.Tests.Init;

public class InitializerTests
{
    [Theory]
    [InlineData("xavier", 300, 100)]
    [InlineData("he", 400, 50)]
    [InlineData("lecun", 250, 80)]
    public void GaussianInitializersHaveTheDocumentedVariance(string name, int fanIn, int fanOut)
    {
        var init = (GaussianInitializer)Initializers.ByName(name);
        var w = new Matrix<double>(fanOut, fanIn);
        init.Fill(w, new Rng(1));
        double mean = w.Span.ToArray().Average();
        double variance = w.Span.ToArray().Select(v => (v - mean) * (v - mean)).Average();
        double expected = name switch { "xavier" => 2.0 / (fanIn + fanOut), "he" => 2.0 / fanIn, _ => 1.0 / fanIn };
        Assert.Equal(expected, init.StdDev(fanIn, fanOut) * init.StdDev(fanIn, fanOut), 12);
        Assert.InRange(variance / expected, 0.95, 1.05);
        Assert.InRange(Math.Abs(mean), 0, 0.01);
    }

    [Fact]
    public void XavierUniformStaysWithinItsLimitWithTheSameVariance()
    {
        var w = new Matrix<double>(100, 200);
        UniformInitializer.XavierUniform.Fill(w, new Rng(2));
        double limit = Math.Sqrt(6.0 / 300);
        Assert.All(w.Span.ToArray(), v => Assert.InRange(v, -limit, limit));
        double variance = w.Span.ToArray().Select(v => v * v).Average();
        Assert.InRange(variance / (2.0 / 300), 0.95, 1.05);
    }

    [Fact]
    public void OnlyXavierUniformBiasDrawsBiasesTheNextNumbersFromTheWeightsRange()
    {
        var bias = new double[20];
        var rng = new Rng(7);
        UniformInitializer.XavierUniform.FillBias<double>(bias, 30, 20, rng);
        ((IInitializer)GaussianInitializer.HeNormal).FillBias<double>(bias, 30, 20, rng);
        Assert.All(bias, b => Assert.Equal(0, b));
        Assert.Equal(new Rng(7).NextDouble(), rng.NextDouble()); // nothing was drawn

        UniformInitializer.XavierUniformBias.FillBias<double>(bias, 30, 20, rng = new Rng(7));

        double limit = Math.Sqrt(6.0 / 50);
        var expected = new Rng(7);
        Assert.Equal(Enumerable.Range(0, 20).Select(_ => expected.NextUniform(-limit, limit)), bias);
        Assert.Equal(limit, UniformInitializer.Limit(30, 20));
        Assert.Same(UniformInitializer.XavierUniformBias, Initializers.ByName("xavier-uniform-bias"));
    }

    [Fact]
    public void SameSeedSameWeightsAndExplicitValuesAreExact()
    {
        var a = new Matrix<float>(3, 4);
        var b = new Matrix<float>(3, 4);
        GaussianInitializer.XavierNormal.Fill(a, new Rng(42));
        GaussianInitializer.XavierNormal.Fill(b, new Rng(42));
        Assert.Equal(a.Span.ToArray(), b.Span.ToArray());
        var c = new Matrix<double>(2, 2);
        new ConstantInitializer(1, 2, 3, 4).Fill(c, new Rng(0));
        Assert.Equal([1.0, 2, 3, 4], c.Span.ToArray());
        ConstantInitializer.Zeros.Fill(c, new Rng(0));
        Assert.All(c.Span.ToArray(), v => Assert.Equal(0, v));
        Assert.Throws<ArgumentException>(() => Initializers.ByName("glorot-magic"));
    }
}
