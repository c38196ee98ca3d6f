using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        if (cols >= ScalarBelow)
        {
            for (int i = 0; i < rows; i++)
            {
                var r = values.Slice(i * cols, cols);
                TensorPrimitives.Add(r, row, r);
            }
            return;
        }
        int length = rows * cols, start = 0;
        ref T v = ref MemoryMarshal.GetReference(values);
        if (cols > 0 && Vector.IsHardwareAccelerated && Vector<T>.IsSupported && Vector<T>.Count % cols == 0)
        {
            // The row repeated to a whole vector: each element still gets exactly one addition.
            Span<T> repeated = stackalloc T[Vector<T>.Count];
            for (int j = 0; j < repeated.Length; j++)
                repeated[j] = row[j % cols];
            var pattern = new Vector<T>(repeated);
            for (; start <= length - Vector<T>.Count; start += Vector<T>.Count)
                (Vector.LoadUnsafe(ref v, (nuint)start) + pattern).StoreUnsafe(ref v, (nuint)start);
        }
        for (int i = start, j = 0; i < length; i++)
        {
            Unsafe.Add(ref v, i) += row[j];
            if (++j == cols)
                j = 0;
        }
    }

    /// <summary>
    /// <c>sums[j] += Σ_i X[i,j]</c>: the bias gradient, <c>∂L/∂b = Σ_i ∂L/∂y[i,:]</c>, added into
    /// <paramref name="sums"/>. The order depends on the shape alone, so the result is deterministic: rows in
    /// ascending order, except that 1, 2, 4 or 8 columns of at least eight vectors' worth of values are summed in
    /// vector lanes (<see cref="LaneSums"/>).
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
        if (cols >= ScalarBelow)
        {
            for (int i = 0; i < rows; i++)
                TensorPrimitives.Add(sums, values.Slice(i * cols, cols), sums);
            return;
        }
        if (cols > 0 && Vector256<T>.IsSupported && Vector256<T>.Count % cols == 0 && rows * cols >= LaneSums.Accumulators * Vector256<T>.Count)
        {
            SumColumnsInLanes(values[..(rows * cols)], cols, sums);
            return;
        }
        // Narrow rows: each column's running sum stays in a register (four at a time), one chain per
        // column in ascending row order, as above.
        ref T v = ref MemoryMarshal.GetReference(values);
        for (int j = 0; j < cols; j += 4)
        {
            int width = Math.Min(4, cols - j);
            T s0 = sums[j], s1 = width > 1 ? sums[j + 1] : T.Zero, s2 = width > 2 ? sums[j + 2] : T.Zero, s3 = width > 3 ? sums[j + 3] : T.Zero;
            for (int i = 0, at = j; i < rows; i++, at += cols)
            {
                s0 += Unsafe.Add(ref v, at);
                if (width > 1) s1 += Unsafe.Add(ref v, at + 1);
                if (width > 2) s2 += Unsafe.Add(ref v, at + 2);
                if (width > 3) s3 += Unsafe.Add(ref v, at + 3);
            }
            sums[j] = s0;
            if (width > 1) sums[j + 1] = s1;
            if (width > 2) sums[j + 2] = s2;
            if (width > 3) sums[j + 3] = s3;
        }
    }

    /// <summary>
    /// <see cref="SumColumns{T}(ReadOnlySpan{T}, int, int, Span{T})"/> in <see cref="LaneSums"/>' order: each vector
    /// holds whole rows of <paramref name="cols"/> values, and eight accumulators take the vectors in turn.
    /// </summary>
    private static void SumColumnsInLanes<T>(ReadOnlySpan<T> values, int cols, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count, block = LaneSums.Accumulators * width, full = values.Length / block * block;
        ref T v = ref MemoryMarshal.GetReference(values);
        Vector256<T> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int at = 0; at < full; at += block)
        {
            a0 += Vector256.LoadUnsafe(ref v, (nuint)at);
            a1 += Vector256.LoadUnsafe(ref v, (nuint)(at + width));
            a2 += Vector256.LoadUnsafe(ref v, (nuint)(at + 2 * width));
            a3 += Vector256.LoadUnsafe(ref v, (nuint)(at + 3 * width));
            a4 += Vector256.LoadUnsafe(ref v, (nuint)(at + 4 * width));
            a5 += Vector256.LoadUnsafe(ref v, (nuint)(at + 5 * width));
            a6 += Vector256.LoadUnsafe(ref v, (nuint)(at + 6 * width));
            a7 += Vector256.LoadUnsafe(ref v, (nuint)(at + 7 * width));
        }
        Span<Vector256<T>> accumulators = [a0, a1, a2, a3, a4, a5, a6, a7];
        // The vectors after the last whole block, the last one zero-padded, each to its accumulator in turn. Copied by a
        // plain loop: with Span's Clear and CopyTo here seed 000's step took 9.2–9.4 µs against 8.3–8.7 (tiered
        // compilation off, as in the CLI), the difference in precompiled framework code (DOTNET_ReadyToRun=0 removed it too).
        Span<T> padded = stackalloc T[width];
        for (int at = full, q = 0; at < values.Length; at += width, q++)
        {
            for (int i = 0; i < width; i++)
                padded[i] = at + i < values.Length ? Unsafe.Add(ref v, at + i) : T.Zero;
            accumulators[q] += Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(padded));
        }
        var total = LaneSums.Fold(accumulators);
        for (int j = 0; j < cols; j++)
            sums[j] += LaneSums.Column(total, cols, j);
    }

    private static void CheckShape(int length, int rows, int cols, int vectorLength, string vectorName)
    {
        if (rows < 0 || cols < 0 || length < (long)rows * cols)
            throw new ArgumentException($"Expected a {rows}x{cols} matrix of {(long)rows * cols} values; received {length} values.");
        if (vectorLength != cols)
            throw new ArgumentException($"Expected {vectorName} with {cols} values, one per column; received {vectorLength}.", vectorName);
    }
}
