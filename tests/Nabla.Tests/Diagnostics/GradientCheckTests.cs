using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Tensors;
using Nabla.Tests.Models;

namespace Nabla.Tests.Diagnostics;

public class GradientCheckTests
{
    [Fact]
    public void ANetworkWithDropoutPassesBecauseEveryEvaluationDrawsTheSameMasks()
    {
        var architecture = CnnArchitectureTests.Network("Linear(6), Tanh, Dropout(0.5), Linear(6), Dropout(0.3), Linear(3)", SampleShape.Features(4), classes: ["a", "b", "c"]);
        var model = architecture.Build<double>(GaussianInitializer.XavierNormal, new Rng(2));

        TestData.AssertPassed(GradientCheck.Model(model, architecture.CreateLoss<double>(), TestData.Gaussian(5, 4, seed: 3), TestData.OneHot(5, 3, seed: 4)));
    }

    [Fact]
    public void MaxElementsChecksAnEvenSpreadOfEachLargeTensor()
    {
        var architecture = CnnArchitectureTests.Network("Conv2d(4, 3), ReLU, Flatten, Linear(3)", SampleShape.Image(1, 6, 6), classes: ["a", "b", "c"]);
        var model = architecture.Build<double>(GaussianInitializer.XavierNormal, new Rng(5));

        var result = GradientCheck.Model(model, architecture.CreateLoss<double>(), TestData.Gaussian(3, 36, seed: 6), TestData.OneHot(3, 3, seed: 7), maxElements: 20);

        TestData.AssertPassed(result);
        // 36 conv weights, 4 biases, 3×64 linear weights, 3 biases, 3×36 inputs: at most 20 of each.
        Assert.Equal([20, 4, 20, 3, 20], result.Tensors.Select(t => t.Elements));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Model(model, architecture.CreateLoss<double>(), TestData.Gaussian(3, 36, seed: 6), TestData.OneHot(3, 3, seed: 7), maxElements: 0));
    }
}
