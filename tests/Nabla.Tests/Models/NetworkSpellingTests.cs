using Nabla.Layers;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Models;

public class NetworkSpellingTests
{
    [Fact]
    public void LazyAndFullSignaturesGiveTheSameCompleteNetwork()
    {
        var lazy = Architecture.FromLayers(SampleShape.Features(4), NetworkSpelling.Parse("Linear(8), ReLU, Linear(3)"), "cross-entropy", ["a", "b", "c"]);
        var full = Architecture.FromLayers(SampleShape.Features(4), NetworkSpelling.Parse("nn.Linear(4, 8), nn.ReLU(), LazyLinear(out_features=3)"), "cross-entropy", ["a", "b", "c"]);
        var mlp = Architecture.Mlp(4, [8], 3, "relu", "cross-entropy", ["a", "b", "c"]);
        Assert.Equal(mlp.ToJson(), lazy.ToJson());
        Assert.Equal(mlp.ToJson(), full.ToJson());
        Assert.Equal(["Linear(4, 8)", "ReLU", "Linear(8, 3)"], lazy.Layers.Select(l => l.ToString()));
        Assert.Equal("4 → 8 ReLU → 3", Nabla.Reports.RunDescription.Network(lazy));
    }

    [Fact]
    public void ArgumentsAreReadAsPyTorchWritesThem()
    {
        var specs = NetworkSpelling.Parse(" LeakyReLU(0.2) ,Dropout( p = 0.25 ), Softmax(dim=-1), Tanh() ");
        Assert.Equal(0.2, specs[0].Real("negative_slope"));
        Assert.Equal(0.25, specs[1].Real("p"));
        Assert.Equal(-1, specs[2].Int("dim"));
        Assert.Equal("Tanh", specs[3].ToString());
        Assert.Equal(0.01, NetworkSpelling.Parse("LeakyReLU")[0].Real("negative_slope"));
    }

    [Theory]
    [InlineData("Linear(8), Conv3d(2)", "Module 2 ('Conv3d(2)'): Unknown module 'Conv3d'; expected one of:")]
    [InlineData("Linear(8", "Expected ',' or ')' in the arguments")]
    [InlineData("Linear(8) ReLU", "Expected ',' or the end of the network after module 1; received 'ReLU'")]
    [InlineData("Linear(8.5)", "Linear: expected out_features to be a whole number; received 8.5")]
    [InlineData("Linear(out_features=8, 3)", "A positional argument follows a keyword argument")]
    [InlineData("Linear(1, 2, 3)", "Linear takes at most 2 arguments (in_features, out_features); received 3")]
    [InlineData("Linear(4, 2, in_features=4)", "in_features is given twice")]
    [InlineData("ReLU(inplace=True)", "ReLU takes no options; received inplace=True")]
    [InlineData("Dropout(p=None)", "Expected a number, True, False or a pair; received 'None'")]
    [InlineData("LazyReLU", "LazyReLU does not exist")]
    [InlineData("", "Expected a module name such as Linear or Conv2d")]
    public void MistakesNameTheModuleAndWhatWasExpected(string text, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => NetworkSpelling.Parse(text)).Message);

    [Theory]
    [InlineData("4", "Linear(5, 2)", "Layer 0: Linear(5, 2) takes 5 input features; received 4.")]
    [InlineData("1,2,2", "Linear(2)", "Layer 0: Linear(2) takes a row of features; received a 1×2×2 input. Put Flatten before it.")]
    [InlineData("4", "Dropout(1.5), Linear(2)", "Layer 0: Dropout(1.5): expected p in [0, 1); received p=1.5.")]
    [InlineData("4", "Linear(0)", "Layer 0: Linear(0): expected out_features of at least 1; received out_features=0.")]
    [InlineData("4", "ReLU", "An architecture needs at least one layer with weights")]
    public void ShapesThatDoNotFitAreRefusedNamingTheLayerAndTheShape(string input, string network, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() =>
            Architecture.FromLayers(SampleShape.Parse(input), NetworkSpelling.Parse(network), "mse", null)).Message);

    [Fact]
    public void OldModelFilesOptionNamesStillLoad()
    {
        var old = Architecture.FromJson("""{"layers":[{"kind":"Linear","in":2,"out":3},{"kind":"LeakyReLU","slope":0.1},{"kind":"Dropout","p":0.2},{"kind":"Linear","in":3,"out":2}],"loss":"cross-entropy","classes":["0","1"],"nabla_version":"0.1.0"}""");
        Assert.Equal(SampleShape.Features(2), old.Input);
        Assert.Equal(["Linear(2, 3)", "LeakyReLU(0.1)", "Dropout(0.2)", "Linear(3, 2)"], old.Layers.Select(l => l.ToString()));
    }

    [Theory]
    [InlineData("""{"layers":null,"loss":"mse"}""", "\"layers\" is null")]
    [InlineData("""{"layers":[null],"loss":"mse"}""", "Layer 0 is null")]
    [InlineData("""{"layers":[{"kind":"Linear","in":2,"out":null}],"loss":"mse"}""", "Layer option \"out\": expected a number, true/false or a pair; received null")]
    [InlineData("""{"layers":[{"kind":"Linear","in":2,"out":1}],"loss":"mse","classes":[null]}""", "A class name is null")]
    [InlineData("""{"layers":[{"kind":"Linear","in":2,"out":1},{"kind":"LeakyReLU","slope":1e308}],"loss":"mse"}""", "expected negative_slope in [0, 1); received negative_slope=1E+308")]
    [InlineData("""{"layers":[{"in":2,"out":1}],"loss":"mse"}""", "A layer object has no \"kind\"")]
    [InlineData("""{"layers":[{"kind":"Linear","in":2,"out":2}],"loss":"cross-entropy","classes":["a","\u001b[31mred"]}""", "A class name is unfit to keep and print: expected no control characters")]
    [InlineData("""{"layers":[{"kind":"Linear","in":2,"out":1}],"loss":"mse","scaling":{"kind":"standard","offset":null,"scale":[1,1]}}""", "Expected an offset and a scale per feature; received no offsets")] // found by ModelMetadataPropertyTests
    public void NullsAndOutOfRangeValuesInModelMetadataAreClearErrors(string json, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Architecture.FromJson(json)).Message);
}
