using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

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
