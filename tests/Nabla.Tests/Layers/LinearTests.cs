using Nabla.Init;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

public class LinearTests
{
    [Fact]
    public void ForwardComputesXWTransposePlusBias()
    {
        var layer = new Linear<double>(Matrix<double>.FromRows([1, 2], [3, 4], [5, 6]), [0.5, -1, 2]);
        var output = layer.Forward(Matrix<double>.FromRows([1, 1], [2, -1]), training: false);
        Assert.Equal(new double[] { 3.5, 6, 13, 0.5, 1, 6 }, output.Span.ToArray());
    }

    [Fact]
    public void AnInitializerThatDrawsBiasesDrawsThemRightAfterTheWeights()
    {
        var plain = new Linear<double>(30, 20, UniformInitializer.XavierUniform, new Rng(5));
        var biased = new Linear<double>(30, 20, UniformInitializer.XavierUniformBias, new Rng(5));

        Assert.Equal(plain.Weight.Value.Span.ToArray(), biased.Weight.Value.Span.ToArray());
        Assert.All(plain.Bias.Value.Span.ToArray(), b => Assert.Equal(0, b));
        var rng = new Rng(5);
        UniformInitializer.XavierUniform.Fill(new Matrix<double>(20, 30), rng);
        var expected = new double[20];
        UniformInitializer.XavierUniformBias.FillBias<double>(expected, 30, 20, rng);
        Assert.Equal(expected, biased.Bias.Value.Span.ToArray());
    }

    [Fact]
    public void WrongInputWidthIsRejectedWithBothSizes()
    {
        var layer = new Linear<float>(784, 256, GaussianInitializer.HeNormal, new Rng(1));
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<float>(2, 785), false));
        Assert.Contains("Linear(784 => 256) got input with 785 columns", error.Message);
    }

    [Fact]
    public void ExplicitConstructorChecksTheBiasLength()
    {
        var error = Assert.Throws<ArgumentException>(() => new Linear<double>(new Matrix<double>(3, 2), [1.0, 2.0]));
        Assert.Contains("Expected 3 bias values", error.Message);
    }

    [Fact]
    public void BackwardBeforeForwardSaysSo()
    {
        var layer = new Linear<double>(new Matrix<double>(1, 1), [0.0]);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(new Matrix<double>(1, 1)));
    }

    [Fact]
    public void GradientsAccumulateUntilZeroed()
    {
        var layer = new Linear<double>(Matrix<double>.FromRows([1, 2]), [0.0]);
        var x = Matrix<double>.FromRows([3, 4]);
        var g = Matrix<double>.FromRows([1]);
        layer.Forward(x, true);
        layer.Backward(g);
        layer.Forward(x, true);
        layer.Backward(g);
        Assert.Equal(new double[] { 6, 8 }, layer.Weight.Gradient.Span.ToArray());
        Assert.Equal(2, layer.Bias.Gradient[0, 0]);
        layer.Weight.ZeroGradient();
        Assert.All(layer.Weight.Gradient.Span.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void BackwardProvesAFiniteWeightGradientAndAnyOtherTouchForgetsIt()
    {
        var layer = new Linear<float>(300, 200, GaussianInitializer.HeNormal, new Rng(3));
        var x = new Matrix<float>(64, 300);
        var rng = new Random(4);
        for (int i = 0; i < x.Span.Length; i++)
            x.Span[i] = rng.NextSingle();
        var g = new Matrix<float>(64, 200);
        g.Span.Fill(0.01f);
        ZeroGradients(layer);
        layer.Forward(x, true);
        layer.BackwardParameters(g);
        Assert.True(layer.Weight.GradientProvedFinite);
        Assert.False(layer.Bias.GradientProvedFinite); // summed by RowOps, not proved
        _ = layer.Weight.Gradient;                      // a caller could write through it now
        Assert.False(layer.Weight.GradientProvedFinite);

        ZeroGradients(layer);
        layer.Forward(x, true);
        layer.BackwardParameters(g);
        ZeroGradients(layer);
        Assert.False(layer.Weight.GradientProvedFinite);

        x.Span[5] = float.NaN;
        layer.Forward(x, true);
        layer.BackwardParameters(g);
        Assert.False(layer.Weight.GradientProvedFinite);
    }

    private static void ZeroGradients(Linear<float> layer)
    {
        layer.Weight.ZeroGradient();
        layer.Bias.ZeroGradient();
    }
}
