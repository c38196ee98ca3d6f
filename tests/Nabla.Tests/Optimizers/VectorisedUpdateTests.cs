using Nabla.Layers;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Tests.Optimizers;

/// <summary>
/// The update loops run vectors over the bulk of a parameter and scalars over the tail, and split
/// long parameters over the worker threads: every element must get exactly the scalar formula's
/// bits, whichever part and thread it falls to.
/// </summary>
public class VectorisedUpdateTests
{
    // 37: several vectors of 4, 8 or 16 plus a tail. 100,003: long enough to be split over threads
    // (Elementwise.ParallelFrom), with a tail after the last whole vector.
    public static TheoryData<int, int> Lengths => new() { { 37, 1 }, { 100_003, 1 }, { 100_003, 2 } };

    private static Parameter<float> Param(ulong seed, bool decays, int length)
    {
        var values = TestData.Gaussian(1, length, seed).Convert<float>();
        var p = new Parameter<float>("weight", values, decays ? ParameterRole.Weight : ParameterRole.Bias);
        TestData.Gaussian(1, length, seed + 100).Convert<float>().Span.CopyTo(p.Gradient.Span);
        return p;
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.0, false, 0.01)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, true, 0.001)]
    public void SgdGivesTheScalarFormulasBitsOnEveryElement(double momentum, bool nesterov, double weightDecay)
    {
        foreach (var row in Lengths)
            SgdMatchesTheScalarFormula(momentum, nesterov, weightDecay, (int)row[0], (int)row[1]);
    }

    private static void SgdMatchesTheScalarFormula(double momentum, bool nesterov, double weightDecay, int length, int threads)
    {
        var p = Param(1, decays: true, length);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), v = new float[length];
        float lr = 0.05f, gamma = (float)momentum, decay = (float)weightDecay;
        var sgd = new Sgd<float>(0.05, momentum, nesterov, weightDecay);
        for (int step = 0; step < 3; step++)
        {
            WithThreads(threads, () => sgd.Step([p]));
            for (int i = 0; i < length; i++)
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

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AdamGivesTheScalarFormulasBitsOnEveryElement(int length, int threads)
    {
        var p = Param(2, decays: true, length);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), m = new float[length], v = new float[length];
        var adam = new Adam<float>(0.01, weightDecay: 0.001);
        float b1 = 0.9f, b2 = 0.999f, lr = 0.01f, eps = 1e-8f, decay = 0.001f;
        for (int step = 1; step <= 3; step++)
        {
            WithThreads(threads, () => adam.Step([p]));
            float c1 = 1 - (float)Math.Pow(0.9, step), c2 = 1 - (float)Math.Pow(0.999, step);
            for (int i = 0; i < length; i++)
            {
                float gi = g[i] + decay * w[i];
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                w[i] -= lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
            }
        }
        Assert.Equal(w, p.Value.Span.ToArray());
    }

    /// <summary>Runs <paramref name="action"/> with <see cref="Parallelism.MaxThreads"/> set; the setting never changes bits, so other tests may run meanwhile.</summary>
    private static void WithThreads(int threads, Action action)
    {
        int before = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            action();
        }
        finally
        {
            Parallelism.MaxThreads = before;
        }
    }
}
