using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class RowSoftmaxTests
{
    /// <summary>
    /// Two float classes run eight rows at a time in vector lanes: every row must get exactly the
    /// scalar definition's bits (max as x &gt; y ? x : y, subtract, exp, (0 + p₀) + p₁, divide,
    /// log-sum = max + log(sum)), including ties, signed zeros, huge logits and the scalar tail.
    /// </summary>
    [Theory]
    [InlineData(1003)]
    [InlineData(40)]
    [InlineData(16)]
    [InlineData(15)]
    [InlineData(7)]
    public void TwoClassRowsGetTheScalarBits(int rows)
    {
        var rng = new Random(rows);
        var z = new float[2 * rows];
        for (int i = 0; i < z.Length; i++)
            z[i] = (float)(rng.NextDouble() * 20 - 10);
        // Ties, signed zeros, huge gaps, subnormal exponentials, and rows whose differences hold a NaN (which take the
        // vector path's second branch: both exponentials of the block taken).
        float[] special = [3f, 3f, 0f, -0f, -0f, 0f, 1e30f, -1e30f, -1e30f, 1e30f, 88f, 90f, 0f, -100f, -87.5f, 0f,
            float.PositiveInfinity, float.PositiveInfinity, float.NaN, 1f, 2f, float.NaN];
        special.AsSpan(0, Math.Min(special.Length, z.Length)).CopyTo(z);
        var p = new float[z.Length];
        var logSum = new float[rows];
        var scratch = new float[rows];
        RowSoftmax.Forward<float>(z, p, 2, logSum, scratch);

        var q = new float[z.Length];
        var max = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            float a = z[2 * r], b = z[2 * r + 1];
            max[r] = a > b ? a : b;
            q[2 * r] = a - max[r];
            q[2 * r + 1] = b - max[r];
        }
        TensorPrimitives.Exp<float>(q, q);
        var sums = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            sums[r] = 0f + q[2 * r] + q[2 * r + 1];
            q[2 * r] /= sums[r];
            q[2 * r + 1] /= sums[r];
        }
        // The logarithm is taken in double and rounded to float.
        var wide = sums.Select(v => (double)v).ToArray();
        TensorPrimitives.Log<double>(wide, wide);
        for (int r = 0; r < rows; r++)
            sums[r] = (float)wide[r];
        TensorPrimitives.Add<float>(max, sums, max);
        Assert.Equal(q.Select(BitConverter.SingleToInt32Bits), p.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(max.Select(BitConverter.SingleToInt32Bits), logSum.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void TooShortAnOutputSaysWhatWasExpectedAndReceived()
    {
        var ex = Assert.Throws<ArgumentException>(() => RowSoftmax.Forward<float>(new float[6], new float[4], 2));
        Assert.Contains("room for 3 rows of 2 probabilities", ex.Message);
        Assert.Contains("received 4", ex.Message);
    }
}
