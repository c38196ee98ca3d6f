using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Onnx;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Tests.Serialization;

/// <summary>
/// What <see cref="OnnxExport"/> writes: the scaling and image reshape in front, each layer's nodes as its kind writes
/// them, outputs named by what they hold, and metadata. (ONNX Runtime runs the graphs in tests/Nabla.Onnx.Tests.)
/// </summary>
public class OnnxExportTests
{
    static OnnxExportTests() => OnnxToyKinds.Register();

    internal static (Sequential<float> Model, Architecture Architecture) Network(string input, string network, string loss, IReadOnlyList<string>? classes, Scaling? scaling = null)
    {
        var architecture = Architecture.FromLayers(SampleShape.Parse(input), NetworkSpelling.Parse(network), loss, classes) with { Scaling = scaling };
        return (architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(3)), architecture);
    }

    [Fact]
    public void AnMlpIsItsScalingThenOneNodePerLayerThenTheSoftmax()
    {
        var scaling = new Scaling(ScalingKind.Standard, [1, 2, 3, 4], [0.5, 1, 2, 4]);
        var (model, architecture) = Network("4", "Linear(5), ReLU, Linear(3)", "cross-entropy", ["a", "b", "c"], scaling);

        var onnx = OnnxModel.Parse(OnnxExport.ToBytes(model, architecture), "mlp.onnx");

        Assert.Equal((7L, 13L), (onnx.IrVersion, onnx.DefaultOpset!.Value));
        var graph = onnx.Graph;
        Assert.Equal(["Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal(["scaling.Sub", "scaling.Div", "0.Gemm", "1.Relu", "logits", "probabilities"], graph.Nodes.Select(n => n.Outputs[0]));
        Assert.Equal(["input"], graph.Nodes[0].Inputs.Take(1));
        Assert.Equal(1, graph.Nodes[2].Int("transB", 0));
        Assert.Equal(1, graph.Nodes[5].Int("axis", -1));
        Assert.Equal(["scaling.offset", "scaling.scale", "0.weight", "0.bias", "2.weight", "2.bias"], graph.Initializers.Select(t => t.Name));
        Assert.Equal([0.5f, 1, 2, 4], graph.Initializers[1].Floats!);
        Assert.Equal(model.NamedTensors[0].Tensor.FileShape, graph.Initializers[2].Dims);
        Assert.Equal(((Parameter<float>)model.NamedTensors[0].Tensor).Value.Span.ToArray(), graph.Initializers[2].Floats!);
        Assert.Equal("[batch, 4]", graph.Inputs.Single().ShapeText);
        Assert.Equal(["logits [batch, 3]", "probabilities [batch, 3]"], graph.Outputs.Select(o => $"{o.Name} {o.ShapeText}"));
        Assert.Equal("[\"a\",\"b\",\"c\"]", onnx.MetadataValue("classes"));
        Assert.Equal("[4]", onnx.MetadataValue("input_shape"));
        Assert.Equal(Architecture.Version, onnx.MetadataValue("nabla_version"));
        Assert.Equal(architecture.ToJson(), onnx.MetadataValue(Architecture.MetadataKey));
        Assert.Equal(("nabla", Architecture.Version), (onnx.ProducerName, onnx.ProducerVersion));
    }

    [Theory]
    [InlineData("cross-entropy", "logits,probabilities", "Softmax")]
    [InlineData("mse+cross-entropy", "logits,probabilities", "Softmax")]
    [InlineData("binary-cross-entropy", "logits,probabilities", "Sigmoid")]
    [InlineData("mse", "scores", "Gemm")]
    public void TheOutputsAreNamedByWhatTheyHold(string loss, string outputs, string lastOperator)
    {
        var (model, architecture) = Network("2", "Linear(2)", loss, ["x", "y"]);

        var graph = OnnxExport.ToModel(model, architecture).Graph;

        Assert.Equal(outputs.Split(','), graph.Outputs.Select(o => o.Name));
        Assert.Equal(lastOperator, graph.Nodes[^1].OpType);
        Assert.Equal(outputs.Split(','), OnnxExport.OutputNames(architecture));
    }

    [Fact]
    public void ARegressionModelOutputsItsValues()
    {
        var (model, architecture) = Network("3", "Linear(4), Tanh, Linear(2)", "mse", null);

        var graph = OnnxExport.ToModel(model, architecture).Graph;

        Assert.Equal(["outputs"], graph.Outputs.Select(o => o.Name));
        Assert.Equal(["Gemm", "Tanh", "Gemm"], graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void DropoutAddsNothingAndActivationsKeepTheirParameters()
    {
        var (model, architecture) = Network("4", "Linear(5), LeakyReLU(0.2), Dropout(0.5), Sigmoid, Identity, Softmax, Linear(2)", "cross-entropy", ["a", "b"]);

        var graph = OnnxExport.ToModel(model, architecture).Graph;

        Assert.Equal(["Gemm", "LeakyRelu", "Sigmoid", "Identity", "Softmax", "Gemm", "Softmax"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal(0.2f, graph.Nodes[1].Float("alpha", 0));
        Assert.Equal("1.LeakyRelu", graph.Nodes[2].Inputs[0]);
        Assert.Equal(["6.weight", "6.bias"], graph.Initializers.Skip(2).Select(t => t.Name));
    }

    [Fact]
    public void AnImageModelReshapesTheRowBeforeItsFirstLayer()
    {
        var (model, architecture) = Network("2,3,3", "Flatten, Linear(4)", "cross-entropy", ["a", "b", "c", "d"]);

        var onnx = OnnxExport.ToModel(model, architecture);

        var graph = onnx.Graph;
        Assert.Equal("[batch, 18]", graph.Inputs.Single().ShapeText);
        Assert.Equal(["Reshape", "Flatten", "Gemm", "Softmax"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal([-1L, 2, 3, 3], graph.Initializers.Single(t => t.Name == graph.Nodes[0].Inputs[1]).Int64s!);
        Assert.Equal("[2,3,3]", onnx.MetadataValue("input_shape"));
    }

    [Fact]
    public void AKindWithoutAnOnnxFormIsNamed()
    {
        var (model, architecture) = Network("3", "Linear(3), ToyOpaque, Linear(2)", "cross-entropy", ["a", "b"]);

        var e = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(model, architecture));

        Assert.Equal("Layer 1 (ToyOpaque): ToyOpaque has no ONNX form (its layer kind does not implement LayerKind.ToOnnx), so a network with it cannot be exported to ONNX.", e.Message);
    }

    [Fact]
    public void AModelThatIsNotItsArchitectureIsRefused()
    {
        var (model, _) = Network("4", "Linear(5), Linear(3)", "cross-entropy", ["a", "b", "c"]);
        var (_, other) = Network("4", "Linear(6), Linear(3)", "cross-entropy", ["a", "b", "c"]);

        var e = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(model, other));

        Assert.Contains("tensor '0.weight' [5, 4] does not match the architecture's '0.weight' [6, 4]", e.Message);
    }

    [Fact]
    public void SaveWritesTheFileAtomically()
    {
        using var dir = new TempDirectory();
        var (model, architecture) = Network("4", "Linear(3)", "cross-entropy", ["a", "b", "c"]);
        string path = dir.File("m.onnx");

        OnnxExport.Save(path, model, architecture);

        Assert.Equal(OnnxExport.ToBytes(model, architecture), File.ReadAllBytes(path));
        Assert.Equal(["m.onnx"], dir.Entries());
    }
}
