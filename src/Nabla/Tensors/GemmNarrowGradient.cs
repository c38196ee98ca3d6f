using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// The weight gradient of an n-to-n layer, n ∈ {1, 2, 4, 8}, over a long batch: <c>C = Aᵀ·B</c> with A and B stored
/// K×n, dense (seed 000's 2-2-2 network: <c>Gᵀ·X</c> over 1,000 rows). Each element of C is a sum over the whole
/// batch, and the tile kernels run it as one chain of K dependent multiply-adds, which waits on each in turn (1.4 µs
/// for K = 1,000, when the arithmetic needs 0.1). Here the rows are summed in vector lanes, in
/// <see cref="LaneSums"/>' order.
/// </summary>
/// <remarks>
/// Eight consecutive values of A are 8/n whole rows, and so are the same eight values of B. Rotating each group of n
/// lanes of the B vector by s puts <c>B[p, (i+s) mod n]</c> against <c>A[p, i]</c>, so n rotations give all n² products
/// of those rows, lane (row r, column i) of rotation s belonging to <c>C[i, (i+s) mod n]</c>. With U = 8/n vectors of a
/// block and n rotations there are always eight accumulators: rotation s of the block's vector u adds into
/// accumulator <c>s·U + u</c>. At the end each rotation's U accumulators are added pairwise and each element adds its
/// 8/n lanes in ascending row order to C (or to zero). The order depends on the shape alone: the same bits on every
/// machine and thread count (the vectors are <see cref="Vector256{T}"/> everywhere).
/// </remarks>
internal static unsafe class GemmNarrowGradient
{
    /// <summary>
    /// Whether <paramref name="job"/> has this shape: m = n ∈ {1, 2, 4, 8}, op(A) = Aᵀ and op(B) = B with A and B
    /// stored K×n without padding, and at least one block (64 values of each operand).
    /// </summary>
    public static bool Fits(in GemmJob job) =>
        job.M == job.N && job.N is 1 or 2 or 4 or 8
        && job.RsA == 1 && job.CsA == job.N && job.CsB == 1 && job.RsB == job.N
        && (long)job.K * job.N >= 64;

    public static void Multiply(in GemmJob job)
    {
        int n = job.N, perBlock = 8 / n, block = 8 * perBlock;
        long values = (long)job.K * n, full = values / block * block;
        var rotations = stackalloc Vector256<int>[8];
        int* lanes = stackalloc int[8];
        for (int s = 0; s < n; s++)
        {
            for (int l = 0; l < 8; l++)
                lanes[l] = l - l % n + (l % n + s) % n;
            rotations[s] = Vector256.Load(lanes);
        }
        // Accumulator q = s·U + u: vector u of the block (at offset 8u), rotation s.
        nint o0 = 0 % perBlock * 8, o1 = 1 % perBlock * 8, o2 = 2 % perBlock * 8, o3 = 3 % perBlock * 8;
        nint o4 = 4 % perBlock * 8, o5 = 5 % perBlock * 8, o6 = 6 % perBlock * 8, o7 = 7 % perBlock * 8;
        Vector256<int> r0 = rotations[0 / perBlock], r1 = rotations[1 / perBlock], r2 = rotations[2 / perBlock], r3 = rotations[3 / perBlock];
        Vector256<int> r4 = rotations[4 / perBlock], r5 = rotations[5 / perBlock], r6 = rotations[6 / perBlock], r7 = rotations[7 / perBlock];
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        float* a = job.A, b = job.B;
        float* padA = stackalloc float[64], padB = stackalloc float[64];
        bool tail = false;
        long blocks = full / block;
        while (true)
        {
            for (long q = 0; q < blocks; q++, a += block, b += block)
            {
                c0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o0), Rotate(Vector256.Load(b + o0), r0), c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o1), Rotate(Vector256.Load(b + o1), r1), c1);
                c2 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o2), Rotate(Vector256.Load(b + o2), r2), c2);
                c3 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o3), Rotate(Vector256.Load(b + o3), r3), c3);
                c4 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o4), Rotate(Vector256.Load(b + o4), r4), c4);
                c5 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o5), Rotate(Vector256.Load(b + o5), r5), c5);
                c6 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o6), Rotate(Vector256.Load(b + o6), r6), c6);
                c7 = Vector256.FusedMultiplyAdd(Vector256.Load(a + o7), Rotate(Vector256.Load(b + o7), r7), c7);
            }
            int rest = (int)(values - full);
            if (tail || rest == 0)
                break;
            // The rows after the last whole block, zero-padded to one block and run through the same body once more:
            // its vectors go to the accumulators they would have gone to, and the padding adds exact zeros.
            for (int i = 0; i < block; i++)
            {
                padA[i] = i < rest ? a[i] : 0f;
                padB[i] = i < rest ? b[i] : 0f;
            }
            a = padA;
            b = padB;
            blocks = 1;
            tail = true;
        }
        Span<Vector256<float>> accumulators = [c0, c1, c2, c3, c4, c5, c6, c7];
        for (int s = 0; s < n; s++)
        {
            var total = LaneSums.Fold(accumulators.Slice(s * perBlock, perBlock));
            for (int i = 0; i < n; i++)
            {
                float* c = job.C + i * job.Ldc + (i + s) % n;
                float sum = LaneSums.Column(total, n, i);
                *c = job.Accumulate ? *c + sum : sum;
            }
        }
    }

    /// <summary>The lanes of <paramref name="v"/> in the order <paramref name="index"/> gives (vpermps where AVX2 is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Rotate(Vector256<float> v, Vector256<int> index) =>
        Avx2.IsSupported ? Avx2.PermuteVar8x32(v, index) : Vector256.Shuffle(v, index);
}
