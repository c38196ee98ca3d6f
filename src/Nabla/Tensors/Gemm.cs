using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

/// <summary>
/// General matrix multiplication, <c>C = op(A)·op(B)</c> or <c>C += op(A)·op(B)</c>, where
/// <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>. Transposes are read in place, never materialised.
/// Summation order is fixed, so results are bit-identical from run to run.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is true.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not agree; the message gives all three.</exception>
    public static void Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c, bool accumulate = false)
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
        Multiply(m, n, k, a.Span, a.Cols, transposeA, b.Span, b.Cols, transposeB, c.Span, c.Cols, accumulate);
    }

    /// <summary>
    /// Span form of <see cref="Multiply{T}(Matrix{T}, bool, Matrix{T}, bool, Matrix{T}, bool)"/>:
    /// <c>op(A)</c> is <paramref name="m"/>×<paramref name="k"/>, <c>op(B)</c> is
    /// <paramref name="k"/>×<paramref name="n"/>, C is <paramref name="m"/>×<paramref name="n"/>; each is
    /// row-major with the given leading dimension (elements between the starts of consecutive rows).
    /// </summary>
    public static void Multiply<T>(int m, int n, int k,
        ReadOnlySpan<T> a, int lda, bool transposeA,
        ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
            return;
        if (!accumulate)
            for (int i = 0; i < m; i++)
                c.Slice(i * ldc, n).Clear();
        if (k == 0)
            return;
        GemmPortable.MultiplyAdd(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc);
    }
}

/// <summary>
/// The portable kernel, <c>C += op(A)·op(B)</c>, vectorised through <see cref="TensorPrimitives"/>
/// along rows of B (or rows of A and B for <c>A·Bᵀ</c>). It is the reference the fast kernels are
/// tested against, and the path for <see cref="double"/>.
/// </summary>
internal static class GemmPortable
{
    public static void MultiplyAdd<T>(int m, int n, int k,
        ReadOnlySpan<T> a, int lda, bool transposeA,
        ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!transposeB)
        {
            // c[i,:] += Σ_p op(A)[i,p] · b[p,:], p ascending.
            for (int i = 0; i < m; i++)
            {
                var cRow = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                {
                    T aip = transposeA ? a[p * lda + i] : a[i * lda + p];
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), aip, cRow, cRow);
                }
            }
        }
        else if (!transposeA)
        {
            // c[i,j] += a[i,:] · b[j,:]
            for (int i = 0; i < m; i++)
            {
                var aRow = a.Slice(i * lda, k);
                for (int j = 0; j < n; j++)
                    c[i * ldc + j] += TensorPrimitives.Dot(aRow, b.Slice(j * ldb, k));
            }
        }
        else
        {
            // c[i,j] += Σ_p a[p,i] · b[j,p]
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    T sum = T.Zero;
                    for (int p = 0; p < k; p++)
                        sum += a[p * lda + i] * b[j * ldb + p];
                    c[i * ldc + j] += sum;
                }
        }
    }
}
