using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Models;

public class ArchitectureTests
{
    [Fact]
    public void MlpChainsLinearAndActivationLayersLikePyTorch()
    {
        var arch = Architecture.Mlp(784, [256, 64], 10, "sigmoid", "cross-entropy", Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
        Assert.Equal(["Linear", "Sigmoid", "Linear", "Sigmoid", "Linear"], arch.Layers.Select(l => l.Kind));
        Assert.Equal((784, 10), (arch.Inputs, arch.Outputs));
        var model = arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], model.NamedParameters.Select(p => p.Name));
        Assert.Equal((256, 784), (model.Parameters[0].Value.Rows, model.Parameters[0].Value.Cols));
        Assert.Equal(784L * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10, model.ParameterCount);
    }

    [Fact]
    public void JsonRoundTripsEveryField()
    {
        var arch = Architecture.Mlp(2, [3], 2, "leaky-relu", "mse+cross-entropy", ["a", "b"]) with
        {
            Scaling = new Scaling(ScalingKind.Standard, [1, 2], [0.5, 0.25]),
            FeatureNames = ["x", "y"],
        };
        var back = Architecture.FromJson(arch.ToJson());
        Assert.Equal(arch.Layers, back.Layers);
        Assert.Equal(arch.ClassNames, back.ClassNames);
        Assert.Equal(arch.FeatureNames, back.FeatureNames);
        Assert.Equal(arch.Scaling!.Scale, back.Scaling!.Scale);
        Assert.Equal(arch.ToJson(), back.ToJson());
        Assert.Equal(arch.Scaling.Kind, back.Scaling.Kind);
        Assert.Contains("\"kind\":\"LeakyReLU\"", arch.ToJson());
        Assert.Contains("\"scaling\":{\"kind\":\"standard\",\"offset\":[1,2],\"scale\":[0.5,0.25]}", arch.ToJson());
    }

    [Fact]
    public void LossNamesBuildTheSeedsLosses()
    {
        var arch = Architecture.Mlp(2, [2], 2, "tanh", "mse+cross-entropy", ["0", "1"]);
        Assert.IsType<MseCrossEntropy<double>>(arch.CreateLoss<double>());
        Assert.IsType<CrossEntropy<float>>((arch with { Loss = "cross-entropy" }).CreateLoss<float>());
    }

    [Fact]
    public void ANetworkSizedForDataIsTheMultilayerPerceptronOfTheSameLayers()
    {
        var data = Synthetic.Moons<float>(40, 0.2, seed: 1);
        var mlp = Architecture.Mlp(2, [16, 8], 2, "leaky-relu", "cross-entropy", data.ClassNames) with { FeatureNames = data.FeatureNames };

        Assert.Equal(mlp.ToJson(), Architecture.For(data, mlp.Layers, "cross-entropy").ToJson());
        Assert.Equal(Shapes(mlp), Shapes(Architecture.For(data, NetworkSpelling.Parse("Linear(16), LeakyReLU, Linear(8), LeakyReLU, Linear(2)"), "cross-entropy")));

        static string Shapes(Architecture a) => string.Join(" ", a.Resolve().Select(l => $"{l.Kind.Name}{l.Input}→{l.Output}"));
    }

    [Fact]
    public void EveryLossIsCalledByTheNameThatCreatesIt()
    {
        var arch = Architecture.Mlp(2, [2], 2, "tanh", "mse", ["0", "1"]);
        foreach (string name in Architecture.LossNames)
            Assert.Equal(name, (arch with { Loss = name }).CreateLoss<float>().Name);
    }

    [Fact]
    public void InvalidArchitecturesSayWhatIsWrong()
    {
        Assert.Contains("Layer 1: Linear(4, 1) takes 4 input features; received 3.",
            Assert.Throws<ArgumentException>(() => new Architecture { InputShape = SampleShape.Features(2), Layers = [LayerSpec.Linear(2, 3), LayerSpec.Linear(4, 1)], Loss = "mse" }.Validate()).Message);
        Assert.Contains("Unknown loss 'hinge'",
            Assert.Throws<ArgumentException>(() => Architecture.Mlp(2, [], 1, "tanh", "hinge", null)).Message);
        Assert.Contains("Unknown activation 'swish'",
            Assert.Throws<ArgumentException>(() => Architecture.Mlp(2, [3], 1, "swish", "mse", null)).Message);
        Assert.Contains("malformed", Assert.Throws<ArgumentException>(() => Architecture.FromJson("{\"layers\": [")).Message);
        Assert.Contains("3 outputs but 2 class names",
            Assert.Throws<ArgumentException>(() => Architecture.Mlp(2, [], 3, "tanh", "cross-entropy", ["a", "b"])).Message);
    }
}
