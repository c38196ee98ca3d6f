using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

/// <summary>
/// Row-broadcast helpers for a dense layer's bias: the forward add and its gradient.
/// </summary>
/// <remarks>
/// Rows narrower than <see cref="ScalarBelow"/> run as plain loops: a vectorised call per row costs
/// more than the few additions it does (a 2-class output over 1,000 samples).
/// </remarks>
public static class RowOps
{
    /// <summary>Rows with fewer columns than this are processed by plain loops instead of one vector call per row.</summary>
    internal const int ScalarBelow = 16;

    /// <summary>
    /// <c>X[i,:] += row</c> for every row i: adds a bias vector to each sample of a batch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have <c>matrix.Cols</c> elements.</exception>
    public static void AddRowVector<T>(Matrix<T> matrix, ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddRowVector(matrix.Span, matrix.Rows, matrix.Cols, row);

    /// <summary>
    /// Span form of <see cref="AddRowVector{T}(Matrix{T}, ReadOnlySpan{T})"/>: <paramref name="values"/>
    /// holds a row-major <paramref name="rows"/>×<paramref name="cols"/> matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match the shape.</exception>
    public static void AddRowVector<T>(Span<T> values, int rows, int cols, ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(values.Length, rows, cols, row.Length, nameof(row));
        for (int i = 0; i < rows; i++)
        {
            var r = values.Slice(i * cols, cols);
            if (cols < ScalarBelow)
            {
                for (int j = 0; j < r.Length; j++)
                    r[j] += row[j];
            }
            else
            {
                TensorPrimitives.Add(r, row, r);
            }
        }
    }

    /// <summary>
    /// <c>sums[j] += Σ_i X[i,j]</c>: the bias gradient, <c>∂L/∂b = Σ_i ∂L/∂y[i,:]</c>, added into
    /// <paramref name="sums"/>. Rows are summed in ascending order, so the result is deterministic.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sums"/> does not have <c>matrix.Cols</c> elements.</exception>
    public static void SumColumns<T>(Matrix<T> matrix, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        SumColumns(matrix.Span, matrix.Rows, matrix.Cols, sums);

    /// <summary>
    /// Span form of <see cref="SumColumns{T}(Matrix{T}, Span{T})"/>: <paramref name="values"/> holds a
    /// row-major <paramref name="rows"/>×<paramref name="cols"/> matrix.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match the shape.</exception>
    public static void SumColumns<T>(ReadOnlySpan<T> values, int rows, int cols, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShape(values.Length, rows, cols, sums.Length, nameof(sums));
        for (int i = 0; i < rows; i++)
        {
            var r = values.Slice(i * cols, cols);
            if (cols < ScalarBelow)
            {
                for (int j = 0; j < r.Length; j++)
                    sums[j] += r[j];
            }
            else
            {
                TensorPrimitives.Add(sums, r, sums);
            }
        }
    }

    /// <summary>The largest value of a row (NaN if any is NaN).</summary>
    internal static T Max<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length >= ScalarBelow)
            return TensorPrimitives.Max(row);
        T max = row[0];
        for (int j = 1; j < row.Length; j++)
            max = T.Max(max, row[j]);
        return max;
    }

    /// <summary>The sum of a row.</summary>
    internal static T Sum<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length >= ScalarBelow)
            return TensorPrimitives.Sum(row);
        T sum = T.Zero;
        for (int j = 0; j < row.Length; j++)
            sum += row[j];
        return sum;
    }

    /// <summary><c>y = x − s</c>.</summary>
    internal static void Subtract<T>(ReadOnlySpan<T> x, T s, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= ScalarBelow)
        {
            TensorPrimitives.Subtract(x, s, y);
            return;
        }
        for (int j = 0; j < x.Length; j++)
            y[j] = x[j] - s;
    }

    /// <summary><c>x /= s</c>.</summary>
    internal static void Divide<T>(Span<T> x, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length >= ScalarBelow)
        {
            TensorPrimitives.Divide(x, s, x);
            return;
        }
        for (int j = 0; j < x.Length; j++)
            x[j] /= s;
    }

    private static void CheckShape(int length, int rows, int cols, int vectorLength, string vectorName)
    {
        if (rows < 0 || cols < 0 || length < (long)rows * cols)
            throw new ArgumentException($"Expected a {rows}x{cols} matrix of {(long)rows * cols} values; received {length} values.");
        if (vectorLength != cols)
            throw new ArgumentException($"Expected {vectorName} with {cols} values, one per column; received {vectorLength}.", vectorName);
    }
}
