using Nabla.Data;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Onnx;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Tests.Serialization;

/// <summary>
/// What <see cref="OnnxImport"/> makes of ONNX graphs: Nabla's own exports come back as the same model file, the
/// forms other exporters write (MatMul + Add, Gemm without transB, Constant nodes) read as layers, and the first
/// node it cannot take is named with why. (PyTorch's own export is imported in tests/Nabla.Onnx.Tests.)
/// </summary>
public class OnnxImportTests
{
    static OnnxImportTests() => OnnxToyKinds.Register();

    [Theory]
    [InlineData("4", "Linear(5), ReLU, Linear(3)", "cross-entropy", "standard")]
    [InlineData("4", "Linear(5), Tanh, Linear(4), LeakyReLU(0.2), Linear(3)", "mse+cross-entropy", "minmax")]
    [InlineData("4", "Linear(5), Sigmoid, Identity, Linear(3)", "binary-cross-entropy", "none")]
    [InlineData("4", "Linear(5), Tanh, Linear(3), Softmax", "mse", "standard")]
    [InlineData("4", "Linear(5), Tanh, Linear(2)", "mse", "regression")]
    [InlineData("2,6,6", "Conv2d(3, 3, padding=1), BatchNorm2d, ReLU, MaxPool2d(2), Conv2d(2, (1, 3), stride=(1, 2), padding=(0, 1), bias=False), ELU(0.5), AvgPool2d(2, padding=1), Flatten, Linear(4), BatchNorm1d(eps=0.001, momentum=0.2), Linear(3)", "cross-entropy", "none")]
    public void ANablaExportComesBackAsTheSameModelFile(string input, string network, string loss, string scale)
    {
        var raw = Matrix<float>.From(new float[,] { { 1, 2, 3, 4 }, { -1, 0.5f, 2, 8 }, { 3, 3, 3, 1 } });
        var scaling = scale is "standard" or "minmax" ? Scaling.Fit(scale == "standard" ? ScalingKind.Standard : ScalingKind.MinMax, raw) : null;
        string[]? classes = scale == "regression" ? null : ["a", "b", "c"];
        var (model, architecture) = OnnxExportTests.Network(input, network, loss, classes, scaling);
        architecture = architecture with { FeatureNames = [.. Enumerable.Range(0, architecture.Inputs).Select(i => $"f{i}")] };

        var (imported, back) = OnnxImport.FromModel(OnnxModel.Parse(OnnxExport.ToBytes(model, architecture), "m.onnx"), new OnnxImportOptions(), "m.onnx");

        Assert.Equal(architecture.ToJson(), back.ToJson());
        Assert.Equal(ModelBytes(model, architecture), ModelBytes(imported, back));
    }

    [Fact]
    public void WhatAModelRemembersOfItsDataSurvivesTheRoundTrip()
    {
        var raw = Matrix<float>.From(new float[,] { { 1, 2, 3, 4 }, { -1, 0.5f, 2, 8 }, { 3, 3, 3, 1 } });
        var (model, architecture) = OnnxExportTests.Network("4", "Linear(5), Tanh, Linear(2)", "mse", null, Scaling.Fit(ScalingKind.Standard, raw));
        architecture = architecture with
        {
            PixelScale = 255,
            TargetScaling = new Scaling(ScalingKind.Standard, [10.5, -3], [2.25, 0.1]),
            Target = "price",
            Columns = [new InputColumn { Name = "size" }, new InputColumn { Name = "colour", Categories = ["blue", "green", "red"] }],
            HeldOut = new HeldOut { Seed = 3, TestFraction = 0.2, Rows = 10, Sha256 = new string('a', 64) },
        };

        var onnx = OnnxExport.ToModel(model, architecture);
        var (imported, back) = OnnxImport.FromModel(OnnxModel.Parse(onnx.ToBytes(), "m.onnx"), new OnnxImportOptions(), "m.onnx");

        Assert.Equal(["Div", "Sub", "Div", "Gemm", "Tanh", "Gemm", "Mul", "Add"], onnx.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(architecture.ToJson(), back.ToJson());
        Assert.Equal(ModelBytes(model, architecture), ModelBytes(imported, back));
        // Without the stored architecture the graph's constants still give the pixel scale and the target scaling.
        var (_, bare) = OnnxImport.FromModel(onnx with { Metadata = [] }, new OnnxImportOptions { Regression = true }, "m.onnx");
        Assert.Equal(255, bare.PixelScale);
        Assert.Equal([2.25f, 0.1f], bare.TargetScaling!.Scale.Select(v => (float)v));
        Assert.Equal([10.5f, -3f], bare.TargetScaling.Offset.Select(v => (float)v));
    }

    [Fact]
    public void DropoutIsGoneAfterTheRoundTripAsItIsFromTheGraph()
    {
        var (model, architecture) = OnnxExportTests.Network("4", "Linear(5), ReLU, Dropout(0.3), Linear(3)", "cross-entropy", ["a", "b", "c"]);

        var (_, back) = OnnxImport.FromModel(OnnxExport.ToModel(model, architecture), new OnnxImportOptions(), "m.onnx");

        Assert.Equal(["Linear", "ReLU", "Linear"], back.Layers.Select(l => l.Kind));
    }

    [Fact]
    public void MatMulAndAddAGemmWithoutTransBAndConstantNodesReadAsLinearLayers()
    {
        // y = relu(x·A + b) then Gemm(h, Bᵀ stored [in, out], c): the forms Keras and TensorFlow converters write.
        var graph = new OnnxGraphBuilder();
        string x = graph.Input("x");
        string a = graph.Initializer("A", [2, 3], [1f, 2, 3, 4, 5, 6]); // [in, out]
        string h = graph.Node("MatMul", "h", [x, a]);
        var bias = new OnnxTensor("b", [3], [0.5f, -1, 2]);
        var nodes = new List<OnnxNode> { new("Constant", "const_b", [], ["b"], [OnnxAttribute.Of("value", bias)]) };
        string w = graph.Initializer("B", [3, 2], [1f, 0, 0, 1, 1, 1]); // [in, out] with transB=0
        var built = graph.Build("g", [Input("x", 2)], []);
        nodes.AddRange(built.Nodes);
        nodes.Add(new OnnxNode("Add", "add", ["b", h], ["s"], []));
        nodes.Add(new OnnxNode("Relu", "relu", ["s"], ["r"], []));
        nodes.Add(new OnnxNode("Gemm", "gemm", ["r", w], ["logits"], []));
        nodes.Add(new OnnxNode("Softmax", "softmax", ["logits"], ["p"], [OnnxAttribute.Of("axis", -1L)]));
        var onnx = new OnnxModel(8, [new OnnxOpset("", 14)], built with { Nodes = nodes });

        var (model, architecture) = OnnxImport.FromModel(onnx, new OnnxImportOptions(), "keras.onnx");

        Assert.Equal("Linear(2, 3), ReLU, Linear(3, 2)", string.Join(", ", architecture.Layers));
        Assert.Equal("cross-entropy", architecture.Loss);
        Assert.Equal(["0", "1"], architecture.ClassNames!);
        var tensors = model.NamedParameters.ToDictionary(p => p.Name, p => p.Parameter.Value.Span.ToArray());
        Assert.Equal([1f, 4, 2, 5, 3, 6], tensors["0.weight"]); // transposed to [out, in]
        Assert.Equal([0.5f, -1, 2], tensors["0.bias"]);
        Assert.Equal([1f, 0, 1, 0, 1, 1], tensors["2.weight"]);
        Assert.Equal([0f, 0], tensors["2.bias"]);
        var output = model.Forward(Matrix<float>.From(new float[,] { { 1, -1 } }));
        Assert.Equal([0f, 0], output.Span.ToArray()); // x·A + b = [-2.5, -4, -1]: all cut by the ReLU
    }

    [Fact]
    public void OptionsNameTheClassesAndTheLoss()
    {
        var (model, architecture) = OnnxExportTests.Network("2", "Linear(3)", "cross-entropy", ["a", "b", "c"]);
        var onnx = OnnxExport.ToModel(model, architecture) with { Metadata = [] };

        var (_, named) = OnnxImport.FromModel(onnx, new OnnxImportOptions { ClassNames = ["x", "y", "z"], Loss = "mse+cross-entropy" }, "m.onnx");
        var (_, regression) = OnnxImport.FromModel(onnx, new OnnxImportOptions { Regression = true }, "m.onnx");
        var (_, plain) = OnnxImport.FromModel(onnx, new OnnxImportOptions(), "m.onnx");

        Assert.Equal(["x", "y", "z"], named.ClassNames!);
        Assert.Equal("mse+cross-entropy", named.Loss);
        Assert.Null(regression.ClassNames);
        Assert.Equal(("mse", 2), (regression.Loss, regression.Layers.Count)); // the softmax stays a layer
        Assert.Equal(["0", "1", "2"], plain.ClassNames!);
        Assert.Equal("cross-entropy", plain.Loss);
    }

    public static TheoryData<string, Func<OnnxModel, OnnxModel>, string> Refused => new()
    {
        { "an operator no kind takes", m => Replace(m, 1, n => n with { OpType = "Softplus" }),
            "m.onnx: cannot import this ONNX model: node 1 \"1.Relu\" (Softplus): no Nabla layer takes the operator \"Softplus\"; Nabla imports " },
        { "a branch", m => Replace(m, 2, n => n with { Inputs = ["input", .. n.Inputs.Skip(1)] }),
            "node 2 \"logits\" (Gemm) reads \"input\", \"2.weight\", \"2.bias\"; Nabla imports a chain of layers, each node reading the previous one's output ('1.Relu') and constants" },
        { "a transposed input", m => Replace(m, 0, n => n with { Attributes = [.. n.Attributes, OnnxAttribute.Of("transA", 1L)] }),
            "node 0 \"0.Gemm\" (Gemm): Gemm with transA=1, alpha=1, beta=1; Linear is transA=0, alpha=1, beta=1." },
        { "a computed weight", m => Replace(m, 2, n => n with { Inputs = ["1.Relu", "1.Relu", "2.bias"] }),
            "node 2 \"logits\" (Gemm): its weight (\"1.Relu\") is computed in the graph; Nabla takes it only as a constant." },
        { "a weight of the wrong shape", m => m with { Graph = m.Graph with { Initializers = [.. m.Graph.Initializers.Select(t => t.Name == "0.weight" ? new OnnxTensor(t.Name, [5, 3], new float[15]) : t)] } },
            "node 0 \"0.Gemm\" (Gemm): its weight is [5, 3]; expected [out, 4] for 4 input features." },
        { "a non-finite weight", m => m with { Graph = m.Graph with { Initializers = [.. m.Graph.Initializers.Select(t => t.Name == "0.bias" ? new OnnxTensor(t.Name, [5], [0, 0, float.NaN, 0, 0]) : t)] } },
            "node 0 \"0.Gemm\" (Gemm): 'bias' holds NaN at element 2; expected finite values." },
        { "another domain", m => Replace(m, 1, n => n with { Domain = "com.microsoft" }),
            "node 1 \"1.Relu\" (Relu) is an operator of the domain \"com.microsoft\"; Nabla imports ONNX's own operators." },
        { "two inputs", m => m with { Graph = m.Graph with { Inputs = [.. m.Graph.Inputs, Input("mask", 4)] } },
            "its graph has 2 inputs (\"input\", \"mask\"); a Nabla model takes one." },
        { "an integer input", m => m with { Graph = m.Graph with { Inputs = [m.Graph.Inputs[0] with { ElementType = OnnxDataType.Int64 }] } },
            "its input \"input\" holds Int64 values; expected FLOAT." },
        { "an input without a fixed size", m => m with { Graph = m.Graph with { Inputs = [m.Graph.Inputs[0] with { Shape = [OnnxDimension.Named("n"), OnnxDimension.Named("f")] }] } },
            "its input \"input\" is shaped [n, f]; expected [batch, features] or [batch, C, H, W] with fixed sizes after the batch." },
        { "no opset", m => m with { Opsets = [] }, "it imports no version of ONNX's operator set (opset_import)." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void TheFirstNodeItCannotTakeIsNamedWithWhy(string name, Func<OnnxModel, OnnxModel> damage, string expected)
    {
        var (model, architecture) = OnnxExportTests.Network("4", "Linear(5), ReLU, Linear(3)", "cross-entropy", ["a", "b", "c"]);
        var onnx = damage(OnnxExport.ToModel(model, architecture) with { Metadata = [] });

        var e = Assert.Throws<NablaInputException>(() => OnnxImport.FromModel(OnnxModel.Parse(onnx.ToBytes(), "m.onnx"), new OnnxImportOptions(), "m.onnx"));

        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {e.Message}");
        Assert.Equal("m.onnx", e.Path);
    }

    [Fact]
    public void ClassesThatDoNotFitTheOutputsAreAnInputError()
    {
        var (model, architecture) = OnnxExportTests.Network("4", "Linear(3)", "cross-entropy", ["a", "b", "c"]);

        var e = Assert.Throws<NablaInputException>(() => OnnxImport.FromModel(OnnxExport.ToModel(model, architecture), new OnnxImportOptions { ClassNames = ["a", "b"] }, "m.onnx"));

        Assert.Equal("m.onnx: cannot import this ONNX model: The network has 3 outputs but 2 class names.", e.Message);
    }

    [Fact]
    public void ALongOperatorNameIsCutInTheError()
    {
        var (model, architecture) = OnnxExportTests.Network("4", "Linear(5), ReLU, Linear(3)", "cross-entropy", ["a", "b", "c"]);
        var onnx = Replace(OnnxExport.ToModel(model, architecture), 1, n => n with { OpType = new string('Q', 50_000) });

        var e = Assert.Throws<NablaInputException>(() => OnnxImport.FromModel(onnx, new OnnxImportOptions(), "m.onnx"));

        Assert.True(e.Message.Length < 600, e.Message);
    }

    private static OnnxValueInfo Input(string name, int features) =>
        new(name, OnnxDataType.Float, [OnnxDimension.Named("batch"), OnnxDimension.Of(features)]);

    private static OnnxModel Replace(OnnxModel model, int node, Func<OnnxNode, OnnxNode> change) =>
        model with { Graph = model.Graph with { Nodes = [.. model.Graph.Nodes.Select((n, i) => i == node ? change(n) : n)] } };

    private static byte[] ModelBytes(Sequential<float> model, Architecture architecture)
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        ModelFile.Save(path, model, architecture);
        return File.ReadAllBytes(path);
    }
}
