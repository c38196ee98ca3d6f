using System.Runtime.CompilerServices;

namespace Nabla.Tensors;

/// <summary>
/// Scalar kernels for machines without AVX2/FMA (and a third path the tests run everywhere).
/// <see cref="MathF.FusedMultiplyAdd"/> keeps the per-element rounding identical to the vector
/// kernels, so this path gives the same bits as they do.
/// </summary>
internal readonly unsafe struct ScalarKernel : IGemmKernel
{
    public static int MR => 4;
    public static int NR => 4;
    public static int DirectRows => 4;
    public static int DotRows => 1;
    public static int DotCols => 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Packed(int kc, float* a, float* b, float* c, nint ldc, bool load, float* sum)
    {
        // Sixteen scalar accumulators fit the 16 xmm registers; a stack array would not stay in them.
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        if (load)
        {
            float* r = c;
            c00 = r[0]; c01 = r[1]; c02 = r[2]; c03 = r[3]; r += ldc;
            c10 = r[0]; c11 = r[1]; c12 = r[2]; c13 = r[3]; r += ldc;
            c20 = r[0]; c21 = r[1]; c22 = r[2]; c23 = r[3]; r += ldc;
            c30 = r[0]; c31 = r[1]; c32 = r[2]; c33 = r[3];
        }
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], x;
            x = a[0]; c00 = MathF.FusedMultiplyAdd(x, b0, c00); c01 = MathF.FusedMultiplyAdd(x, b1, c01); c02 = MathF.FusedMultiplyAdd(x, b2, c02); c03 = MathF.FusedMultiplyAdd(x, b3, c03);
            x = a[1]; c10 = MathF.FusedMultiplyAdd(x, b0, c10); c11 = MathF.FusedMultiplyAdd(x, b1, c11); c12 = MathF.FusedMultiplyAdd(x, b2, c12); c13 = MathF.FusedMultiplyAdd(x, b3, c13);
            x = a[2]; c20 = MathF.FusedMultiplyAdd(x, b0, c20); c21 = MathF.FusedMultiplyAdd(x, b1, c21); c22 = MathF.FusedMultiplyAdd(x, b2, c22); c23 = MathF.FusedMultiplyAdd(x, b3, c23);
            x = a[3]; c30 = MathF.FusedMultiplyAdd(x, b0, c30); c31 = MathF.FusedMultiplyAdd(x, b1, c31); c32 = MathF.FusedMultiplyAdd(x, b2, c32); c33 = MathF.FusedMultiplyAdd(x, b3, c33);
            a += 4;
            b += 4;
        }
        float* w = c;
        w[0] = c00; w[1] = c01; w[2] = c02; w[3] = c03; w += ldc;
        w[0] = c10; w[1] = c11; w[2] = c12; w[3] = c13; w += ldc;
        w[0] = c20; w[1] = c21; w[2] = c22; w[3] = c23; w += ldc;
        w[0] = c30; w[1] = c31; w[2] = c32; w[3] = c33;
        if (sum != null)
            *sum += (c00 + c01 + c02 + c03) + (c10 + c11 + c12 + c13) + (c20 + c21 + c22 + c23) + (c30 + c31 + c32 + c33);
    }

    public static void Direct(int rows, int cols, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, bool load)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                float s = load ? c[i * ldc + j] : 0f;
                float* ap = a + i * rsA;
                float* bp = b + j;
                for (int p = 0; p < k; p++)
                    s = MathF.FusedMultiplyAdd(ap[p * csA], bp[p * ldb], s);
                c[i * ldc + j] = s;
            }
    }

    public static void Dot(int rows, int cols, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool load)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                float s = load ? c[i * ldc + j] : 0f;
                float* ap = a + i * lda;
                float* bp = b + j * ldb;
                for (int p = 0; p < k; p++)
                    s = MathF.FusedMultiplyAdd(ap[p], bp[p], s);
                c[i * ldc + j] = s;
            }
    }
}
