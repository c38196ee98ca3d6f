using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Tensors;

/// <summary>
/// General matrix multiplication, <c>C = op(A)·op(B)</c> or <c>C += op(A)·op(B)</c>, where
/// <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>. Transposes are read in place, never materialised.
/// Summation order is fixed by the shape alone, so results are bit-identical from run to run and
/// for any <see cref="Parallelism.MaxThreads"/>.
/// </summary>
/// <remarks>
/// <see cref="float"/> runs on hand-written kernels (AVX-512, AVX2 + FMA, or scalar, chosen at run
/// time): direct kernels for small products, a packed, cache-blocked BLIS-style loop for large ones,
/// a lane-permutation kernel for products a few columns wide (a 2-unit layer), and persistent worker
/// threads where the work pays for it. Other types use a portable
/// <c>TensorPrimitives</c> kernel. C must not overlap A or B.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is true.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not agree; the message gives all three.</exception>
    public static void Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m, n, k) = Shape(a, transposeA, b, transposeB, c);
        Multiply(m, n, k, a.Span, a.Cols, transposeA, b.Span, b.Cols, transposeB, c.Span, c.Cols, accumulate);
    }

    /// <summary>
    /// <see cref="Multiply{T}(Matrix{T}, bool, Matrix{T}, bool, Matrix{T}, bool)"/>, returning true when every
    /// element of C is proven finite afterwards (for <see cref="float"/>, from sums of C taken while it is in
    /// cache); false means not proven, and the caller must look at C itself.
    /// </summary>
    internal static bool MultiplyProvingFinite<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m, n, k) = Shape(a, transposeA, b, transposeB, c);
        if (typeof(T) != typeof(float))
        {
            Multiply(m, n, k, a.Span, a.Cols, transposeA, b.Span, b.Cols, transposeB, c.Span, c.Cols, accumulate);
            return false;
        }
        return Multiply(m, n, k,
            MemoryMarshal.Cast<T, float>(a.Span), a.Cols, transposeA,
            MemoryMarshal.Cast<T, float>(b.Span), b.Cols, transposeB,
            MemoryMarshal.Cast<T, float>(c.Span), c.Cols, accumulate, default, proveFinite: true);
    }

    private static (int M, int N, int K) Shape<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = transposeA ? a.Cols : a.Rows;
        int k = transposeA ? a.Rows : a.Cols;
        int kb = transposeB ? b.Cols : b.Rows;
        int n = transposeB ? b.Rows : b.Cols;
        if (k != kb || c.Rows != m || c.Cols != n)
            throw new ArgumentException(
                $"Cannot multiply op(A) {m}x{k} by op(B) {kb}x{n} into C {c.Rows}x{c.Cols} " +
                $"(A is {a.Rows}x{a.Cols}{(transposeA ? ", transposed" : "")}; B is {b.Rows}x{b.Cols}{(transposeB ? ", transposed" : "")}).");
        return (m, n, k);
    }

    /// <summary>
    /// Span form of <see cref="Multiply{T}(Matrix{T}, bool, Matrix{T}, bool, Matrix{T}, bool)"/>:
    /// <c>op(A)</c> is <paramref name="m"/>×<paramref name="k"/>, <c>op(B)</c> is
    /// <paramref name="k"/>×<paramref name="n"/>, C is <paramref name="m"/>×<paramref name="n"/>; each is
    /// row-major with the given leading dimension (elements between the starts of consecutive rows).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a leading dimension is shorter than its
    /// row, or a span is too short for its matrix.</exception>
    public static void Multiply<T>(int m, int n, int k,
        ReadOnlySpan<T> a, int lda, bool transposeA,
        ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The JIT removes this test and the other branch for each T.
        if (typeof(T) == typeof(float))
        {
            Multiply(m, n, k,
                MemoryMarshal.Cast<T, float>(a), lda, transposeA,
                MemoryMarshal.Cast<T, float>(b), ldb, transposeB,
                MemoryMarshal.Cast<T, float>(c), ldc, accumulate, default);
            return;
        }
        CheckArguments(m, n, k, a.Length, lda, transposeA, b.Length, ldb, transposeB, c.Length, ldc);
        if (m == 0 || n == 0)
            return;
        if (!accumulate)
            for (int i = 0; i < m; i++)
                c.Slice(i * ldc, n).Clear();
        if (k == 0)
            return;
        GemmPortable.MultiplyAdd(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc);
    }

    /// <summary>
    /// The float form with every path selectable, for tests and benchmarks. With <paramref name="proveFinite"/>,
    /// returns whether every element of C is proven finite (see <see cref="GemmFloat.Multiply"/>); an empty
    /// product proves nothing (false), as the caller's own look at C is then cheap.
    /// </summary>
    internal static bool Multiply(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int ldc, bool accumulate, GemmOptions options, bool proveFinite = false)
    {
        CheckArguments(m, n, k, a.Length, lda, transposeA, b.Length, ldb, transposeB, c.Length, ldc);
        if (m == 0 || n == 0)
            return false;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++)
                    c.Slice(i * ldc, n).Clear();
            return false;
        }
        return GemmFloat.Multiply(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate, options, proveFinite);
    }

    private static void CheckArguments(int m, int n, int k,
        int aLength, int lda, bool transposeA, int bLength, int ldb, bool transposeB, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Expected non-negative sizes; received m={m}, n={n}, k={k}.");
        // The kernels use raw pointers, so every bound is checked here, once.
        CheckOperand("A", transposeA ? k : m, transposeA ? m : k, lda, aLength);
        CheckOperand("B", transposeB ? n : k, transposeB ? k : n, ldb, bLength);
        CheckOperand("C", m, n, ldc, cLength);
    }

    private static void CheckOperand(string name, int rows, int cols, int ld, int length)
    {
        if (rows == 0 || cols == 0)
            return;
        if (ld < cols)
            throw new ArgumentException($"{name} is stored {rows}x{cols}, so its leading dimension must be at least {cols}; received {ld}.");
        long needed = (long)(rows - 1) * ld + cols;
        if (length < needed)
            throw new ArgumentException($"{name} is stored {rows}x{cols} with leading dimension {ld}, which needs {needed} elements; received {length}.");
    }
}
