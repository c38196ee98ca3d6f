using Nabla.Tensors;

namespace Nabla.Tests;

/// <summary>Random matrices for tests, reproducible by seed.</summary>
internal static class TestData
{
    public static Matrix<double> Gaussian(int rows, int cols, ulong seed, double stdDev = 1)
    {
        var rng = new Rng(seed);
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = rng.NextGaussian(0, stdDev);
        return m;
    }

    /// <summary>One-hot rows with a random class each.</summary>
    public static Matrix<double> OneHot(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var m = new Matrix<double>(rows, cols);
        for (int r = 0; r < rows; r++)
            m[r, rng.NextInt(cols)] = 1;
        return m;
    }

    /// <summary>Rows of positive values summing to one (soft targets).</summary>
    public static Matrix<double> Distribution(int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var m = new Matrix<double>(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < cols; c++)
                sum += m[r, c] = rng.NextDouble() + 0.05;
            for (int c = 0; c < cols; c++)
                m[r, c] /= sum;
        }
        return m;
    }

    public static void AssertPassed(Nabla.Diagnostics.GradientCheckResult result)
    {
        foreach (var t in result.Tensors)
            Assert.True(t.Passed, $"{t.Name}: max abs error {t.MaxAbsoluteError:E3}, max rel error {t.MaxRelativeError:E3} over {t.Elements} elements");
    }
}
