using Nabla.Onnx;

namespace Nabla.Tests.Onnx;

/// <summary>The ONNX protobuf model: what is written reads back the same, the bytes follow protobuf's encoding, and hostile bytes are input errors.</summary>
public class OnnxModelTests
{
    private static OnnxModel Sample()
    {
        var graph = new OnnxGraphBuilder();
        string x = graph.Input("x");
        string w = graph.Initializer("w", [2, 3], [1f, -2f, 3.5f, float.Epsilon, -0f, 1e30f]);
        string shape = graph.Initializer("shape", [3], [-1L, 1L, long.MaxValue]);
        string y = graph.Node("Gemm", "y", [x, w], OnnxAttribute.Of("transB", 1L), OnnxAttribute.Of("alpha", 0.5f),
            OnnxAttribute.Of("pads", [0L, -1L, 2L]), OnnxAttribute.Of("value", new OnnxTensor("t", [], [7f])));
        graph.Node("Reshape", "z", [y, shape]);
        return new OnnxModel(7, [new OnnxOpset("", 13), new OnnxOpset("ai.onnx.ml", 2)], graph.Build("g",
            [new OnnxValueInfo("x", OnnxDataType.Float, [OnnxDimension.Named("batch"), OnnxDimension.Of(3)])],
            [new OnnxValueInfo("z", OnnxDataType.Float, null)]))
        {
            ProducerName = "nabla",
            ProducerVersion = "0.1.0",
            Metadata = [new("classes", "[\"a\",\"b\"]"), new("ünïcode", "✓")],
        };
    }

    [Fact]
    public void AModelReadsBackAsItWasWritten()
    {
        var written = Sample();

        var read = OnnxModel.Parse(written.ToBytes(), "sample.onnx");

        Assert.Equal(7, read.IrVersion);
        Assert.Equal(written.Opsets, read.Opsets);
        Assert.Equal(13, read.DefaultOpset);
        Assert.Equal(("nabla", "0.1.0"), (read.ProducerName, read.ProducerVersion));
        Assert.Equal(written.Metadata, read.Metadata);
        Assert.Equal("✓", read.MetadataValue("ünïcode"));
        var graph = read.Graph;
        Assert.Equal("g", graph.Name);
        Assert.Equal(["Gemm", "Reshape"], graph.Nodes.Select(n => n.OpType));
        var gemm = graph.Nodes[0];
        Assert.Equal("y", gemm.Name);
        Assert.Equal(["x", "w"], gemm.Inputs);
        Assert.Equal(["y"], gemm.Outputs);
        Assert.Equal(1, gemm.Int("transB", 0));
        Assert.Equal(0.5f, gemm.Float("alpha", 1));
        Assert.Equal([0L, -1L, 2L], gemm.Ints("pads"));
        Assert.Equal([7f], gemm.Attribute("value")!.Tensor!.Floats!);
        Assert.Equal(-1, gemm.Int("transA", -1));
        var w = graph.Initializers[0];
        Assert.Equal(("w", OnnxDataType.Float), (w.Name, w.DataType));
        Assert.Equal([2L, 3L], w.Dims);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(w.Floats![4]));
        Assert.Equal([1f, -2f, 3.5f, float.Epsilon, -0f, 1e30f], w.Floats);
        Assert.Equal([-1L, 1L, long.MaxValue], graph.Initializers[1].Int64s!);
        Assert.Equal("[batch, 3]", graph.Inputs[0].ShapeText);
        Assert.Equal(OnnxDataType.Float, graph.Inputs[0].ElementType);
        Assert.Null(graph.Outputs[0].Shape);
        Assert.Equal(written.ToBytes(), read.ToBytes());
    }

    [Fact]
    public void TheBytesFollowProtobufsEncoding()
    {
        var model = new OnnxModel(7, [new OnnxOpset("", 300)], new OnnxGraph("", [], [], [], []));

        // ir_version (field 1, varint) 7; graph (field 7, length-delimited) of 2 bytes: its empty name;
        // opset_import (field 8) of 6 bytes: domain "" and version (field 2) 300 = 0xAC 0x02.
        Assert.Equal([0x08, 0x07, 0x12, 0x00, 0x1A, 0x00, 0x3A, 0x02, 0x12, 0x00, 0x42, 0x05, 0x0A, 0x00, 0x10, 0xAC, 0x02], model.ToBytes());
    }

    [Fact]
    public void UnpackedRepeatedNumbersAndUntypedAttributesAreRead()
    {
        // Older writers put one tag per value and left out the attribute type; protobuf readers must take both.
        var tensor = new ProtoWriter();
        tensor.Int64(1, 2);
        tensor.Int64(1, 1);
        tensor.Int64(2, (long)OnnxDataType.Float);
        tensor.Float(4, 1.5f);
        tensor.Float(4, -2.5f);
        var attribute = new ProtoWriter();
        attribute.String(1, "value");
        attribute.Bytes(5, tensor.Written);
        var node = new ProtoWriter();
        node.String(4, "Constant");
        node.String(2, "c");
        node.Bytes(5, attribute.Written);

        var read = OnnxModel.Parse(Model(node), "old.onnx").Graph.Nodes[0];

        var value = read.Attribute("value")!;
        Assert.Equal(OnnxAttributeType.Tensor, value.Type);
        Assert.Equal([2L, 1L], value.Tensor!.Dims);
        Assert.Equal([1.5f, -2.5f], value.Tensor.Floats!);
    }

    public static TheoryData<string, byte[], string> Hostile => new()
    {
        { "empty", [], "it has no graph" },
        { "a group", [0x0B], "wire type 3" },
        { "field 0", [0x00], "a field number of 0" },
        { "an 11-byte varint", [0x08, .. Enumerable.Repeat((byte)0xFF, 10), 0x01], "longer than" },
        { "a varint cut short", [0x08, 0x80], "runs past the end" },
        { "a length beyond the file", [0x3A, 0x7F, 0x00], "claims 127 bytes; only 1 remain" },
        { "a graph that is a number", [0x38, 0x01], "the graph has wire type 0; expected 2" },
        { "a huge tensor without data", Tensor(t => { t.PackedInt64(1, [1_000_000_000]); t.Int64(2, 1); }), "has 0 values; its dimensions need 1000000000" },
        { "dims whose product overflows", Tensor(t => { t.PackedInt64(1, [1L << 31, 1L << 31]); t.Int64(2, 1); }), "at most 2147483647 values" },
        { "a negative dimension", Tensor(t => { t.PackedInt64(1, [-1]); t.Int64(2, 1); }), "dimensions of at least 0" },
        { "raw data of the wrong length", Tensor(t => { t.PackedInt64(1, [3]); t.Int64(2, 1); t.Bytes(9, new byte[8]); }), "8 bytes of raw_data; its dimensions need 3 values of 4 bytes" },
        { "external data", Tensor(t => { t.PackedInt64(1, [1]); t.Int64(2, 1); t.Int64(14, 1); }), "external file" },
        { "a data type beyond int32", Tensor(t => t.Int64(2, 1L << 40)), "data_type is 1099511627776; expected a 32-bit integer" },
        { "a node without an operator", Model(Writer(n => n.String(3, "x"))), "node \"x\" has no op_type" },
        { "an attribute without a name", Model(Writer(n => { n.String(4, "Relu"); n.Bytes(5, Writer(a => a.Int64(3, 1))); })), "an attribute has no name" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileBytesAreInputErrorsThatSayWhatIsWrong(string name, byte[] bytes, string expected)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<NablaInputException>(() => OnnxModel.Parse(bytes, "hostile.onnx"));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, $"{name}: allocated more than 1 MB");
        Assert.StartsWith("hostile.onnx: not a valid ONNX file", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal("hostile.onnx", e.Path);
    }

    [Fact]
    public void TextFromTheFileIsCutAndEscapedInErrors()
    {
        var bytes = Model(Writer(n => n.String(3, new string('x', 100_000) + "\n\u001b[31m")));

        var e = Assert.Throws<NablaInputException>(() => OnnxModel.Parse(bytes, "long.onnx"));

        Assert.True(e.Message.Length < 300, e.Message);
        Assert.Contains("(100006 characters)", e.Message);
        Assert.Equal("\"a\\u000ab\"", ProtoReader.Shown("a\nb"));
    }

    [Fact]
    public void AMissingFileIsAnInputError()
    {
        var e = Assert.Throws<NablaInputException>(() => OnnxModel.Read("/nonexistent/model.onnx"));

        Assert.Equal("/nonexistent/model.onnx: ONNX file not found.", e.Message);
    }

    private static byte[] Writer(Action<ProtoWriter> write)
    {
        var w = new ProtoWriter();
        write(w);
        return w.Written.ToArray();
    }

    /// <summary>A model whose graph holds one node with the given bytes.</summary>
    private static byte[] Model(ProtoWriter node) => Model(node.Written.ToArray());

    private static byte[] Model(byte[] node) => Writer(m => m.Message(7, g => g.Bytes(1, node)));

    /// <summary>A model whose graph holds one initializer written by <paramref name="write"/>.</summary>
    private static byte[] Tensor(Action<ProtoWriter> write) => Writer(m => m.Message(7, g => g.Message(5, write)));
}
