using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

public class FlattenTests
{
    [Fact]
    public void ForwardAndBackwardPassTheBatchThroughUntouched()
    {
        // A batch already stores each C×H×W sample as one C-major row, PyTorch's x[n].flatten().
        var layer = new Flatten<double>();
        var x = TestData.Gaussian(3, 12, seed: 1);
        Assert.Same(x, layer.Forward(x, training: true));
        var g = TestData.Gaussian(3, 12, seed: 2);
        Assert.Same(g, layer.Backward(g));
        Assert.Contains("expected an output gradient of shape 3x12; received 3x11", Assert.Throws<ArgumentException>(() => layer.Backward(new Matrix<double>(3, 11))).Message);
        Assert.Throws<InvalidOperationException>(() => new Flatten<double>().Backward(g));
    }
}
