using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Tests.Layers.Kinds;

/// <summary>The helpers a kind's <see cref="LayerKind.FromOnnx"/> reads a node with: constants, vectors, window sizes and padding.</summary>
public class OnnxLayerImportTests
{
    private static readonly Dictionary<string, OnnxTensor> Constants = new()
    {
        ["w"] = new OnnxTensor("w", [1, 3], [1f, 2, 3]),
        ["one"] = new OnnxTensor("one", [1], [7f]),
        ["shape"] = new OnnxTensor("shape", [2], [-1L, 12]),
    };

    private static OnnxLayerImport Import(OnnxNode node) => new(node, SampleShape.Features(3), 13, Constants, _ => null);

    private static OnnxNode Node(params OnnxAttribute[] attributes) => new("Op", "n", ["x", "w", "one", "shape", "y"], ["z"], attributes);

    [Fact]
    public void ConstantsAndVectorsAreReadWithTheirShapesChecked()
    {
        var node = Node();
        var layer = Import(node);

        Assert.Equal([1f, 2, 3], layer.Vector(node, 1, 3, "bias"));
        Assert.Equal([7f, 7, 7], layer.Vector(node, 2, 3, "bias"));
        Assert.Equal([0f, 0, 0], layer.Vector(new OnnxNode("Op", "n", ["x"], ["z"], []), 1, 3, "bias"));
        Assert.Equal([-1L, 12], layer.Int64Constant(node, 3, "shape")!);
        Assert.Equal("its bias is shaped [1, 3]; expected [4] or one value", Assert.Throws<ArgumentException>(() => layer.Vector(node, 1, 4, "bias")).Message);
        Assert.Equal("its weight (\"y\") is computed in the graph; Nabla takes it only as a constant", Assert.Throws<ArgumentException>(() => layer.FloatConstant(node, 4, "weight")).Message);
        Assert.Equal("its weight (\"shape\") holds Int64 values; expected FLOAT", Assert.Throws<ArgumentException>(() => layer.FloatConstant(node, 3, "weight")).Message);
        Assert.Null(layer.Next);
    }

    [Fact]
    public void WindowSizesAndEvenPaddingAreReadAsPairs()
    {
        var node = Node(OnnxAttribute.Of("kernel_shape", [3L, 5L]), OnnxAttribute.Of("pads", [1L, 2L, 1L, 2L]));

        Assert.Equal((3, 5), OnnxLayerImport.Pair(node, "kernel_shape", (0, 0)));
        Assert.Equal((1, 1), OnnxLayerImport.Pair(node, "strides", (1, 1)));
        Assert.Equal((1, 2), OnnxLayerImport.Padding(node));
        Assert.Equal((0, 0), OnnxLayerImport.Padding(Node()));
        Assert.Equal(OptionValue.Of(3), OnnxLayerImport.PairOption((3, 3)));
        Assert.Equal(OptionValue.Of(3, 5), OnnxLayerImport.PairOption((3, 5)));
        Assert.Equal(0.01, OnnxLayerImport.Decimal(0.01f));
    }

    [Fact]
    public void UnevenPaddingAndAutoPadAreRefusedSayingWhy()
    {
        Assert.Equal("its pads are [0, 0, 1, 1]; expected [top, left, bottom, right] with top = bottom and left = right, as PyTorch pads",
            Assert.Throws<ArgumentException>(() => OnnxLayerImport.Padding(Node(OnnxAttribute.Of("pads", [0L, 0L, 1L, 1L])))).Message);
        Assert.Equal("its kernel_shape is [3]; expected two sizes (height, width)",
            Assert.Throws<ArgumentException>(() => OnnxLayerImport.Pair(Node(OnnxAttribute.Of("kernel_shape", [3L])), "kernel_shape", (0, 0))).Message);
        var autoPad = OnnxModel.Parse(AutoPadModel(), "a.onnx").Graph.Nodes[0];
        Assert.Equal("it has auto_pad=\"SAME_UPPER\"; Nabla takes explicit pads", Assert.Throws<ArgumentException>(() => OnnxLayerImport.Padding(autoPad)).Message);
    }

    /// <summary>A model with one node whose string attribute auto_pad is SAME_UPPER (Nabla writes no string attributes, so it is built from protobuf fields).</summary>
    private static byte[] AutoPadModel()
    {
        var w = new ProtoWriter();
        w.Message(7, graph => graph.Message(1, node =>
        {
            node.String(4, "Conv");
            node.Message(5, attribute =>
            {
                attribute.String(1, "auto_pad");
                attribute.Int64(20, (long)OnnxAttributeType.String);
                attribute.String(4, "SAME_UPPER");
            });
        }));
        return w.Written.ToArray();
    }
}
