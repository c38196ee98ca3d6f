using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Activations;

namespace Nabla.Tests.Layers;

public class BackwardParametersTests
{
    [Fact]
    public void ParameterGradientsEqualTheFullBackwardPass()
    {
        // Dropout first: the first trainable layer is not layer 0.
        var model = new Sequential<double>(
            new Dropout<double>(0.3, new Rng(9)),
            new Linear<double>(5, 4, GaussianInitializer.XavierNormal, new Rng(1)), new Sigmoid<double>(),
            new Linear<double>(4, 3, GaussianInitializer.XavierNormal, new Rng(2)));
        var x = TestData.Gaussian(6, 5, seed: 3);
        var g = TestData.Gaussian(6, 3, seed: 4);
        model.Forward(x, training: false);

        model.ZeroGradients();
        model.Backward(g);
        var full = model.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        model.ZeroGradients();
        model.BackwardParameters(g);
        var partial = model.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

        Assert.Equal(full, partial);
    }

    [Fact]
    public void ZeroGradientsIsLazyButNeverVisible()
    {
        var dense = new Linear<double>(5, 4, GaussianInitializer.XavierNormal, new Rng(1));
        var x = TestData.Gaussian(6, 5, seed: 3);
        var g = TestData.Gaussian(6, 4, seed: 4);
        dense.Forward(x, training: true);
        dense.Backward(g);
        var once = dense.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

        // Without zeroing, a second backward pass adds: twice the gradient (up to rounding).
        dense.Backward(g);
        for (int i = 0; i < once.Length; i++)
        {
            var twice = dense.Parameters[i].Gradient.Span.ToArray();
            for (int j = 0; j < twice.Length; j++)
                Assert.Equal(2 * once[i][j], twice[j], 1e-12);
        }

        // After zeroing, reading shows zeros, and a backward pass overwrites the stale values (the
        // weight gradient is stored, not added) with exactly the one-pass gradient.
        dense.Weight.ZeroGradient();
        Assert.All(dense.Weight.Gradient.Span.ToArray(), v => Assert.Equal(0.0, v));
        foreach (var p in dense.Parameters)
        {
            p.Gradient.Span.Fill(123.0);
            p.ZeroGradient();
        }
        dense.Backward(g);
        for (int i = 0; i < once.Length; i++)
            Assert.Equal(once[i], dense.Parameters[i].Gradient.Span.ToArray());
    }
}
