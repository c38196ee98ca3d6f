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
    [InlineData(1000, 2)]   // narrow: running sums in registers, four columns at a time
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
