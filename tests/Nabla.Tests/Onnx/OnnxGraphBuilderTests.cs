using Nabla.Onnx;

namespace Nabla.Tests.Onnx;

public class OnnxGraphBuilderTests
{
    [Fact]
    public void NodesAreKeptInOrderAndRenamingReachesTheirReaders()
    {
        var graph = new OnnxGraphBuilder();
        string x = graph.Input("x");
        string a = graph.Node("Relu", "a", [x]);
        graph.Node("Softmax", "b", [a]);

        graph.Rename(a, "logits");

        var built = graph.Build("g", [], []);
        Assert.Equal([("logits", "x"), ("b", "logits")], built.Nodes.Select(n => (n.Outputs[0], n.Inputs[0])));
        Assert.Equal("logits", built.Nodes[0].Name);
    }

    [Fact]
    public void ANameUsedTwiceOrAnUnknownInputIsRefused()
    {
        var graph = new OnnxGraphBuilder();
        string x = graph.Input("x");
        graph.Initializer("w", [1], [1f]);

        Assert.Contains("already has a value named 'w'", Assert.Throws<ArgumentException>(() => graph.Node("Relu", "w", [x])).Message);
        Assert.Contains("its input 'y' is not a value of the graph yet", Assert.Throws<ArgumentException>(() => graph.Node("Relu", "r", ["y"])).Message);
        Assert.Contains("No node produces 'x'", Assert.Throws<ArgumentException>(() => graph.Rename(x, "input")).Message);
        Assert.Contains("hold 2 values; received 1", Assert.Throws<ArgumentException>(() => graph.Initializer("v", [2], [1f])).Message);
    }
}
