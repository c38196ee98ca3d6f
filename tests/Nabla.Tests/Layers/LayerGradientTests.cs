using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Activations;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

/// <summary>Every layer's backward pass against float64 central differences, over odd shapes.</summary>
public class LayerGradientTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 1, 5 }, { 4, 1 }, { 7, 13 }, { 3, 2 } };

    public static IEnumerable<object[]> Activations()
    {
        yield return ["Tanh"];
        yield return ["Sigmoid"];
        yield return ["ReLU"];
        yield return ["LeakyReLU"];
        yield return ["Identity"];
        yield return ["Softmax"];
        yield return ["ELU"];
    }

    private static ILayer<double> Make(string kind) => kind switch
    {
        "Tanh" => new Tanh<double>(),
        "Sigmoid" => new Sigmoid<double>(),
        "ReLU" => new Relu<double>(),
        "LeakyReLU" => new LeakyRelu<double>(0.1),
        "Identity" => new Identity<double>(),
        "Softmax" => new Softmax<double>(),
        "ELU" => new Elu<double>(0.7),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void ActivationGradientsMatchFiniteDifferences(string kind)
    {
        foreach (var (rows, cols) in new[] { (1, 1), (1, 5), (4, 1), (7, 13), (3, 2) })
        {
            var input = TestData.Gaussian(rows, cols, seed: (ulong)(rows * 31 + cols), stdDev: 1.5);
            // Keep ReLU kinks away from the finite-difference step.
            for (int i = 0; i < input.Length; i++)
                if (Math.Abs(input.Span[i]) < 1e-3)
                    input.Span[i] = 0.5;
            var result = GradientCheck.Layer(Make(kind), input, new Rng(7));
            TestData.AssertPassed(result);
            Assert.Equal(kind, Make(kind).Kind.Name);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LinearGradientsMatchFiniteDifferences(int batch, int width)
    {
        foreach (int outputs in new[] { 1, 3, 13 })
        {
            var layer = new Linear<double>(width, outputs, GaussianInitializer.XavierNormal, new Rng(3));
            var bias = layer.Bias.Value.Span;
            for (int i = 0; i < bias.Length; i++)
                bias[i] = 0.1 * i - 0.2;
            var result = GradientCheck.Layer(layer, TestData.Gaussian(batch, width, seed: 11), new Rng(5));
            TestData.AssertPassed(result);
            Assert.Equal(["weight", "bias", "input"], result.Tensors.Select(t => t.Name));
        }
    }

    [Fact]
    public void DropoutGradientMatchesFiniteDifferencesWithAFixedMask()
    {
        var layer = new Dropout<double>(0.4, new Rng(1));
        var input = TestData.Gaussian(7, 13, seed: 2);
        layer.Forward(input, training: true);
        layer.FreezeMask = true;
        TestData.AssertPassed(GradientCheck.Layer(layer, input, new Rng(3)));
    }

    [Fact]
    public void DropoutZeroesAboutPAndKeepsTheExpectation()
    {
        var layer = new Dropout<double>(0.25, new Rng(9));
        var input = new Matrix<double>(200, 100);
        input.Span.Fill(1);
        var output = layer.Forward(input, training: true);
        int zeros = 0;
        double sum = 0;
        foreach (var v in output.Span)
        {
            if (v == 0) zeros++;
            else Assert.Equal(1 / 0.75, v, 12);
            sum += v;
        }
        Assert.InRange(zeros / 20000.0, 0.23, 0.27);
        Assert.InRange(sum / 20000.0, 0.97, 1.03);
        Assert.Same(input, layer.Forward(input, training: false));
    }

    [Fact]
    public void SequentialGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(4);
        var model = new Sequential<double>(
            new Linear<double>(5, 7, GaussianInitializer.XavierNormal, rng), new Tanh<double>(),
            new Linear<double>(7, 4, GaussianInitializer.XavierNormal, rng), new Sigmoid<double>(),
            new Linear<double>(4, 3, GaussianInitializer.XavierNormal, rng), new Softmax<double>());
        foreach (var (name, p) in model.NamedParameters)
            Assert.Matches(@"^\d+\.(weight|bias)$", name);
        var result = GradientCheck.Model(model, new Nabla.Losses.MeanSquaredError<double>(), TestData.Gaussian(6, 5, 8), TestData.OneHot(6, 3, 9));
        TestData.AssertPassed(result);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "input"], result.Tensors.Select(t => t.Name));
    }
}
