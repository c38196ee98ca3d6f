using Nabla.Layers;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Tests.Optimizers;

/// <summary>
/// The update loops run vectors over the bulk of a parameter and scalars over the tail: every
/// element must get exactly the scalar formula's bits, whichever part it falls in.
/// </summary>
public class VectorisedUpdateTests
{
    private const int Length = 37; // several vectors of 4, 8 or 16 plus a tail

    private static Parameter<float> Param(ulong seed, bool decays)
    {
        var values = TestData.Gaussian(1, Length, seed).Convert<float>();
        var p = new Parameter<float>("weight", values, decays);
        TestData.Gaussian(1, Length, seed + 100).Convert<float>().Span.CopyTo(p.Gradient.Span);
        return p;
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.0, false, 0.01)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, true, 0.001)]
    public void SgdGivesTheScalarFormulasBitsOnEveryElement(double momentum, bool nesterov, double weightDecay)
    {
        var p = Param(1, decays: true);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), v = new float[Length];
        float lr = 0.05f, gamma = (float)momentum, decay = (float)weightDecay;
        var sgd = new Sgd<float>(0.05, momentum, nesterov, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            sgd.Step([p]);
            for (int i = 0; i < Length; i++)
            {
                float s = lr * (g[i] + decay * w[i]);
                if (momentum == 0)
                {
                    w[i] -= s;
                    continue;
                }
                v[i] = gamma * v[i] + s;
                w[i] -= nesterov ? gamma * v[i] + s : v[i];
            }
        }
        Assert.Equal(w, p.Value.Span.ToArray());
    }

    [Fact]
    public void AdamGivesTheScalarFormulasBitsOnEveryElement()
    {
        var p = Param(2, decays: true);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), m = new float[Length], v = new float[Length];
        var adam = new Adam<float>(0.01, weightDecay: 0.001);
        float b1 = 0.9f, b2 = 0.999f, lr = 0.01f, eps = 1e-8f, decay = 0.001f;
        for (int step = 1; step <= 3; step++)
        {
            adam.Step([p]);
            float c1 = 1 - (float)Math.Pow(0.9, step), c2 = 1 - (float)Math.Pow(0.999, step);
            for (int i = 0; i < Length; i++)
            {
                float gi = g[i] + decay * w[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                w[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
            }
        }
        Assert.Equal(w, p.Value.Span.ToArray());
    }
}
