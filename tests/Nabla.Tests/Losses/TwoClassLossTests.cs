using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Losses;

public class TwoClassLossTests
{
    /// <summary>
    /// Seed 000's loss on two float classes runs eight rows at a time in vector lanes: the gradient
    /// must have exactly the scalar formula's bits on every row (the tail rows included), and the
    /// loss, summed in lanes rather than one running sum, must agree to float rounding.
    /// </summary>
    [Theory]
    [InlineData(1003)]
    [InlineData(16)]
    [InlineData(5)]
    public void TheGradientHasTheScalarBitsAndTheLossAgrees(int rows)
    {
        var rng = new Random(rows);
        var z = new Matrix<float>(rows, 2);
        var y = new Matrix<float>(rows, 2);
        for (int r = 0; r < rows; r++)
        {
            z[r, 0] = (float)(rng.NextDouble() * 6 - 3);
            z[r, 1] = (float)(rng.NextDouble() * 6 - 3);
            y[r, rng.Next(2)] = 1f;
        }
        var loss = new MseCrossEntropy<float>();
        float value = loss.Forward(z, y);
        var gradient = loss.Backward().Span.ToArray();

        var p = new float[2 * rows];
        var logSum = new float[rows];
        RowSoftmax.Forward<float>(z.Span, p, 2, logSum, new float[rows]);
        float n = rows, twoOverNk = 2f / (2 * rows);
        double squares = 0, crossEntropy = 0;
        var expected = new float[2 * rows];
        for (int r = 0; r < rows; r++)
        {
            float p0 = p[2 * r], p1 = p[2 * r + 1], y0 = y[r, 0], y1 = y[r, 1];
            float d0 = p0 - y0, d1 = p1 - y1;
            float dp = 0f + d0 * p0 + d1 * p1, ySum = 0f + y0 + y1;
            squares += d0 * d0 + d1 * d1;
            crossEntropy += ySum * logSum[r] - (0f + y0 * z[r, 0] + y1 * z[r, 1]);
            expected[2 * r] = twoOverNk * p0 * (p0 - y0 - dp) + (p0 * ySum - y0) / n;
            expected[2 * r + 1] = twoOverNk * p1 * (p1 - y1 - dp) + (p1 * ySum - y1) / n;
        }
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), gradient.Select(BitConverter.SingleToInt32Bits));
        double reference = squares / (2 * rows) + crossEntropy / rows;
        Assert.Equal(reference, value, reference * 1e-5);
    }
}
