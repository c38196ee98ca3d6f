using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Tensors;

/// <summary>
/// A dense, row-major matrix of <typeparamref name="T"/>: row <c>r</c>, column <c>c</c> lives at
/// <c>Data[r * Cols + c]</c>. Every batch in Nabla is a matrix with one sample per row.
/// </summary>
/// <remarks>
/// The backing array may be longer than <c>Rows * Cols</c>: <see cref="Reshape"/> reuses it, so a
/// layer can keep one buffer for every batch size up to the largest it has seen.
/// </remarks>
/// <typeparam name="T"><see cref="float"/> to train, <see cref="double"/> to check gradients.</typeparam>
public sealed class Matrix<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _data;

    /// <summary>Creates a zero-filled <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public Matrix(int rows, int cols)
    {
        CheckShape(rows, cols);
        Rows = rows;
        Cols = cols;
        _data = new T[rows * cols];
    }

    /// <summary>Wraps <paramref name="data"/> (row-major, not copied) as a <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        CheckShape(rows, cols);
        if (data.Length < rows * cols)
            throw new ArgumentException($"A {rows}x{cols} matrix needs {rows * cols} values; received {data.Length}.", nameof(data));
        Rows = rows;
        Cols = cols;
        _data = data;
    }

    /// <summary>Number of rows (samples in a batch).</summary>
    public int Rows { get; private set; }

    /// <summary>Number of columns (features).</summary>
    public int Cols { get; private set; }

    /// <summary>Number of elements, <c>Rows * Cols</c>.</summary>
    public int Length => Rows * Cols;

    /// <summary>The backing array; may be longer than <see cref="Length"/>.</summary>
    public T[] Data => _data;

    /// <summary>The <see cref="Length"/> elements, row-major.</summary>
    public Span<T> Span => _data.AsSpan(0, Rows * Cols);

    /// <summary>Element at row <paramref name="row"/>, column <paramref name="col"/>.</summary>
    public T this[int row, int col]
    {
        get
        {
            CheckIndex(row, col);
            return _data[row * Cols + col];
        }
        set
        {
            CheckIndex(row, col);
            _data[row * Cols + col] = value;
        }
    }

    /// <summary>Row <paramref name="row"/> as a span of <see cref="Cols"/> elements.</summary>
    public Span<T> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is outside a matrix with {Rows} rows.");
        return _data.AsSpan(row * Cols, Cols);
    }

    /// <summary>
    /// Changes the shape in place, reusing the backing array when it is large enough (contents are
    /// then unspecified) and allocating a new one otherwise. Returns this matrix.
    /// </summary>
    public Matrix<T> Reshape(int rows, int cols)
    {
        CheckShape(rows, cols);
        if (_data.Length < rows * cols)
            _data = new T[rows * cols];
        Rows = rows;
        Cols = cols;
        return this;
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>A deep copy with a backing array of exactly <see cref="Length"/> elements.</summary>
    public Matrix<T> Clone() => new(Rows, Cols, Span.ToArray());

    /// <summary>Copies this matrix's values into <paramref name="destination"/>, which must have the same shape.</summary>
    public void CopyTo(Matrix<T> destination)
    {
        if (destination.Rows != Rows || destination.Cols != Cols)
            throw new ArgumentException($"Cannot copy a {Rows}x{Cols} matrix into a {destination.Rows}x{destination.Cols} one.", nameof(destination));
        Span.CopyTo(destination.Span);
    }

    /// <summary>Builds a matrix from nested arrays, one inner array per row.</summary>
    public static Matrix<T> FromRows(params T[][] rows)
    {
        if (rows.Length == 0)
            throw new ArgumentException("Expected at least one row; received none.", nameof(rows));
        int cols = rows[0].Length;
        var m = new Matrix<T>(rows.Length, cols);
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != cols)
                throw new ArgumentException($"Row {r} has {rows[r].Length} values; row 0 has {cols}.", nameof(rows));
            rows[r].CopyTo(m.Row(r));
        }
        return m;
    }

    /// <summary>Builds a matrix from a rectangular array.</summary>
    public static Matrix<T> From(T[,] values)
    {
        var m = new Matrix<T>(values.GetLength(0), values.GetLength(1));
        MemoryMarshal.CreateReadOnlySpan(ref values[0, 0], values.Length).CopyTo(m.Span);
        return m;
    }

    /// <summary>Converts every element to <typeparamref name="TOut"/>.</summary>
    public Matrix<TOut> Convert<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var m = new Matrix<TOut>(Rows, Cols);
        var src = Span;
        var dst = m.Span;
        for (int i = 0; i < src.Length; i++)
            dst[i] = TOut.CreateChecked(src[i]);
        return m;
    }

    /// <inheritdoc />
    public override string ToString() => $"Matrix<{typeof(T).Name}>[{Rows}x{Cols}]";

    private static void CheckShape(int rows, int cols)
    {
        if (rows < 0 || cols < 0 || (long)rows * cols > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), $"Expected a non-negative shape that fits in one array; received {rows}x{cols}.");
    }

    private void CheckIndex(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            throw new ArgumentOutOfRangeException(nameof(row), $"Index [{row}, {col}] is outside a {Rows}x{Cols} matrix.");
    }
}
