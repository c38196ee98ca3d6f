using Nabla.Layers;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Tests.Optimizers;

/// <summary>
/// The update loops run vectors over the bulk of a parameter and scalars over the tail, and split
/// long parameters over the worker threads: every element must get exactly the scalar formula's
/// bits, whichever part and thread it falls to.
/// </summary>
[Collection(ThreadCountCollection.Name)]
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

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AdamWGivesTheScalarFormulasBitsOnEveryElement(int length, int threads)
    {
        var p = Param(3, decays: true, length);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), m = new float[length], v = new float[length];
        var adamW = new AdamW<float>(0.01, weightDecay: 0.1);
        float b1 = 0.9f, b2 = 0.999f, lr = 0.01f, eps = 1e-8f, shrink = (float)(1 - 0.01 * 0.1);
        for (int step = 1; step <= 3; step++)
        {
            WithThreads(threads, () => adamW.Step([p]));
            float c1 = 1 - (float)Math.Pow(0.9, step), c2 = 1 - (float)Math.Pow(0.999, step);
            for (int i = 0; i < length; i++)
            {
                float wi = w[i] * shrink;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] = wi - lr * (m[i] / c1) / (MathF.Sqrt(v[i] / c2) + eps);
            }
        }
        Assert.Equal(w, p.Value.Span.ToArray());
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AdagradGivesTheScalarFormulasBitsOnEveryElement(int length, int threads)
    {
        var p = Param(4, decays: true, length);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), s = new float[length];
        Array.Fill(s, 0.1f);
        var adagrad = new Adagrad<float>(0.05, learningRateDecay: 0.1, weightDecay: 0.001, initialAccumulatorValue: 0.1);
        float decay = 0.001f, eps = 1e-10f;
        for (int step = 1; step <= 3; step++)
        {
            WithThreads(threads, () => adagrad.Step([p]));
            float lr = (float)(0.05 / (1 + (step - 1) * 0.1));
            for (int i = 0; i < length; i++)
            {
                float gi = g[i] + decay * w[i];
                s[i] += gi * gi;
                w[i] -= lr * (gi / (MathF.Sqrt(s[i]) + eps));
            }
        }
        Assert.Equal(w, p.Value.Span.ToArray());
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.9, false)]
    [InlineData(0.0, true)]
    [InlineData(0.9, true)]
    public void RmsPropGivesTheScalarFormulasBitsOnEveryElement(double momentum, bool centered)
    {
        foreach (var row in Lengths)
            RmsPropMatchesTheScalarFormula(momentum, centered, (int)row[0], (int)row[1]);
    }

    private static void RmsPropMatchesTheScalarFormula(double momentum, bool centered, int length, int threads)
    {
        var p = Param(5, decays: true, length);
        float[] w = p.Value.Span.ToArray(), g = p.Gradient.Span.ToArray(), a = new float[length], mean = new float[length], b = new float[length];
        var rmsProp = new RmsProp<float>(0.01, weightDecay: 0.001, momentum: momentum, centered: centered);
        float lr = 0.01f, rho = 0.99f, eps = 1e-8f, mu = (float)momentum, decay = 0.001f;
        for (int step = 0; step < 3; step++)
        {
            WithThreads(threads, () => rmsProp.Step([p]));
            for (int i = 0; i < length; i++)
            {
                float gi = g[i] + decay * w[i];
                a[i] = rho * a[i] + (1 - rho) * gi * gi;
                float d;
                if (centered)
                {
                    mean[i] = rho * mean[i] + (1 - rho) * gi;
                    d = MathF.Sqrt(a[i] - mean[i] * mean[i]) + eps;
                }
                else
                {
                    d = MathF.Sqrt(a[i]) + eps;
                }
                if (momentum > 0)
                {
                    b[i] = mu * b[i] + gi / d;
                    w[i] -= lr * b[i];
                }
                else
                {
                    w[i] -= lr * (gi / d);
                }
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
