using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class RowOpsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 33)]
    [InlineData(64, 256)]
    [InlineData(1000, 2)]   // narrow: the row repeated across a vector, then a scalar tail
    [InlineData(9, 4)]
    [InlineData(11, 5)]     // 5 does not divide a vector: the plain loop
    [InlineData(13, 8)]
    public void AddRowVectorAddsTheRowToEveryRow(int rows, int cols)
    {
        var x = Filled(rows, cols, 1);
        var original = x.Clone();
        var bias = Enumerable.Range(0, cols).Select(j => 0.5 * j - 3).ToArray();
        RowOps.AddRowVector(x, bias);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(original[i, j] + bias[j], x[i, j]);
        var xf = Filled(rows, cols, 1).Convert<float>();
        var originalF = xf.Clone();
        var biasF = bias.Select(b => (float)b).ToArray();
        RowOps.AddRowVector(xf, biasF);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(originalF[i, j] + biasF[j], xf[i, j]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 33)]
    [InlineData(128, 1000)]
    [InlineData(7, 2)]      // narrow: running sums in registers, four columns at a time
    [InlineData(31, 2)]     // one value short of the eight vectors the lanes need
    [InlineData(1000, 3)]   // 3 does not divide a vector: the chains, however long
    [InlineData(9, 5)]
    [InlineData(7, 15)]
    public void SumColumnsAccumulatesColumnSums(int rows, int cols)
    {
        var x = Filled(rows, cols, 2).Convert<float>();
        var sums = Enumerable.Range(0, cols).Select(j => (float)j).ToArray();
        RowOps.SumColumns(x, sums);
        for (int j = 0; j < cols; j++)
        {
            // Same order as the kernel: previous value, then rows ascending.
            float expected = j;
            for (int i = 0; i < rows; i++)
                expected += x[i, j];
            Assert.Equal(expected, sums[j]);
        }
    }

    /// <summary>
    /// 1, 2, 4 or 8 columns of at least 64 float values: the documented lane order (see LaneSums), written out here
    /// element by element; and the sum within float rounding of the exact one.
    /// </summary>
    [Theory]
    [InlineData(1000, 2)]   // seed 000's bias gradient: 31 whole blocks of 64 values and a tail of 16
    [InlineData(64, 1)]     // exactly one block
    [InlineData(37, 8)]     // 4 whole blocks and 5 vectors more
    [InlineData(101, 4)]    // a half-empty last vector
    [InlineData(32, 2)]
    public void NarrowColumnsAreSummedInTheDocumentedLaneOrder(int rows, int cols)
    {
        var x = Filled(rows, cols, 3).Convert<float>();
        var sums = Enumerable.Range(0, cols).Select(j => 0.25f * j).ToArray();
        var expected = LaneOrderSums(x.Span.ToArray(), cols, sums);
        RowOps.SumColumns(x, sums);
        Assert.Equal(expected, sums);
        for (int j = 0; j < cols; j++)
        {
            double exact = 0.25 * j, magnitude = Math.Abs(exact);
            for (int i = 0; i < rows; i++)
            {
                exact += x[i, j];
                magnitude += Math.Abs(x[i, j]);
            }
            Assert.InRange(Math.Abs(sums[j] - exact), 0, (rows + 2) * magnitude / (1 << 24));
        }
    }

    /// <summary>
    /// Vectors of eight values, vector v into accumulator v mod 8 (the last zero-padded); the accumulators added
    /// ((0+1)+(2+3))+((4+5)+(6+7)); then each column's lanes in ascending order, added to what it held.
    /// </summary>
    private static float[] LaneOrderSums(float[] values, int cols, float[] start)
    {
        var accumulators = new float[8, 8];
        for (int at = 0; at < values.Length; at++)
            accumulators[at / 8 % 8, at % 8] += values[at];
        var total = new float[8];
        for (int lane = 0; lane < 8; lane++)
        {
            float Pair(int q) => accumulators[q, lane] + accumulators[q + 1, lane];
            total[lane] = (Pair(0) + Pair(2)) + (Pair(4) + Pair(6));
        }
        var sums = (float[])start.Clone();
        for (int j = 0; j < cols; j++)
        {
            float column = total[j];
            for (int lane = j + cols; lane < 8; lane += cols)
                column += total[lane];
            sums[j] += column;
        }
        return sums;
    }

    [Fact]
    public void WrongLengthsThrowAndSayWhatWasReceived()
    {
        var x = new Matrix<float>(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => RowOps.AddRowVector(x, new float[4]));
        Assert.Contains("Expected row with 3 values, one per column; received 4", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => RowOps.SumColumns(x, new float[2]));
        Assert.Contains("received 2", ex.Message);
        Assert.Throws<ArgumentException>(() => RowOps.SumColumns(new float[5], 2, 3, new float[3]));
    }

    private static Matrix<double> Filled(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix<double>(rows, cols);
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = rng.NextDouble() * 2 - 1;
        return m;
    }
}
