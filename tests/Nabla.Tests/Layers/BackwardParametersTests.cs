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
            new Dense<double>(5, 4, GaussianInitializer.XavierNormal, new Rng(1)), new Sigmoid<double>(),
            new Dense<double>(4, 3, GaussianInitializer.XavierNormal, new Rng(2)));
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
}
