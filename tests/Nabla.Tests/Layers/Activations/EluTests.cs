using Nabla.Layers.Activations;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Layers.Activations;

public class EluTests
{
    [Fact]
    public void ForwardIsTheIdentityAboveZeroAndAlphaTimesExpMinusOneBelow()
    {
        var y = new Elu<double>(0.5).Forward(Matrix<double>.FromRows([2, 0, -1, -40]), training: false);
        Assert.Equal(new[] { 2, 0, 0.5 * (Math.Exp(-1) - 1), 0.5 * (Math.Exp(-40) - 1) }, y.Span.ToArray());
        Assert.Equal(1.0, NetworkSpelling.Parse("ELU")[0].Real("alpha"));
        Assert.Equal(0.5, NetworkSpelling.Parse("nn.ELU(alpha=0.5)")[0].Real("alpha"));
        Assert.Equal("ELU", Nabla.Layers.LayerSpec.Activation("elu").Kind);
    }
}
