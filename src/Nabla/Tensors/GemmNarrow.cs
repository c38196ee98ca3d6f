using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// Products of a few columns by as few rows, <c>C = A·B</c> with B n×n and n ∈ {1, 2, 4, 8, 16}
/// (a 2-unit layer's forward product and input gradient): sixteen consecutive values of C are
/// 16/n whole rows, and so are the same sixteen values of A. Each term of the sum is then one lane
/// permutation of the A vector times a vector of B's entries, where a tile kernel would mask off
/// all but n of its lanes and run 16/n times as often.
/// </summary>
/// <remarks>
/// Each element is the tile kernels' chain, <c>c = fma(a[i,p], b[p,j], c)</c> for ascending p from
/// zero (or from C when accumulating), so the bits equal theirs.
/// </remarks>
internal static unsafe class GemmNarrow
{
    /// <summary>Whether <paramref name="job"/> has this shape: A and C dense row-major, n = k a divisor of 16, AVX-512 chosen.</summary>
    public static bool Fits(in GemmJob job) =>
        job.Isa == GemmIsa.Avx512 && Avx512F.IsSupported
        && job.N == job.K && 16 % job.N == 0
        && job.CsA == 1 && job.RsA == job.K && job.Ldc == job.N
        && (long)job.M * job.N >= 16;

    public static void Multiply(in GemmJob job)
    {
        int n = job.N, total = job.M * n;
        float* a = job.A, c = job.C;
        // Term p of lane l (row l/n, column l%n of a 16-value block): A's value at (l/n)·n + p times B[p, l%n].
        var index = stackalloc Vector512<int>[n];
        var b = stackalloc Vector512<float>[n];
        int* rowStart = stackalloc int[16];
        float* pattern = stackalloc float[16];
        for (int p = 0; p < n; p++)
        {
            for (int l = 0; l < 16; l++)
            {
                rowStart[l] = l - l % n + p;
                pattern[l] = job.B[p * job.RsB + l % n * job.CsB];
            }
            index[p] = Vector512.Load(rowStart);
            b[p] = Vector512.Load(pattern);
        }
        int i = 0;
        for (; i + 16 <= total; i += 16)
        {
            var values = Vector512.Load(a + i);
            var sum = job.Accumulate ? Vector512.Load(c + i) : Vector512<float>.Zero;
            for (int p = 0; p < n; p++)
                sum = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32(values, index[p]), b[p], sum);
            sum.Store(c + i);
        }
        for (; i < total; i++)
        {
            int row = i / n, j = i % n;
            float sum = job.Accumulate ? c[i] : 0f;
            for (int p = 0; p < n; p++)
                sum = MathF.FusedMultiplyAdd(a[row * n + p], job.B[p * job.RsB + j * job.CsB], sum);
            c[i] = sum;
        }
    }
}
