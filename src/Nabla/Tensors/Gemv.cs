using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// One row times a matrix, <c>y = x·B</c> with B stored row-major k×n: the batch-of-one product of
/// inference. A GEMM tile kernel with one row of A has only two FMA chains and waits on their
/// latency; this walks up to eight vectors of columns at once, so eight chains are in flight.
/// </summary>
/// <remarks>
/// Each <c>y[j]</c> is one fused multiply-add chain in ascending k from zero, the order
/// <see cref="Gemm"/>'s tile kernels use, so the bits equal row 0 of the batched product. Rows of B
/// whose <c>x[i]</c> is zero are skipped: a chain that starts at +0 never holds −0, so adding the
/// exact zero <c>0·B[i,j]</c> leaves it unchanged, and the bits are the same for any finite B.
/// Inference inputs are often sparse (half of a Fashion-MNIST image is background; ReLU outputs),
/// and the B rows not read are memory not moved. A large product is split into two column halves on
/// two <see cref="Workers"/>; which thread computes a column does not change its chain.
/// </remarks>
internal static unsafe class Gemv
{
    /// <summary>Column padding <see cref="Multiply"/> needs: <c>ldb</c> and <c>y</c> are whole multiples of it.</summary>
    public const int Padding = 16;

    /// <summary>Whether <see cref="Multiply"/> has a vector kernel on this machine.</summary>
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;

    /// <summary>
    /// <c>y[0..ldb) = x[0..k)·B</c> where B is k×<paramref name="ldb"/> row-major (columns past the
    /// real n zero-padded) and <paramref name="ldb"/> is a multiple of <see cref="Padding"/>.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> b, int ldb, Span<float> y)
    {
        var nothing = default(NothingAfterFirstPart);
        Run(x, b, ldb, y, accumulate: false, ref nothing);
    }

    /// <summary>
    /// <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>, calling
    /// <paramref name="afterFirstColumns"/> on this thread as soon as <c>y[0..FirstColumns(k, ldb))</c>
    /// is done, while another thread may still be computing the rest.
    /// </summary>
    public static void Multiply<TAfter>(ReadOnlySpan<float> x, ReadOnlySpan<float> b, int ldb, Span<float> y, ref TAfter afterFirstColumns)
        where TAfter : struct, IAfterFirstPart => Run(x, b, ldb, y, accumulate: false, ref afterFirstColumns);

    /// <summary>
    /// Continues each column's chain from the value in <paramref name="y"/>: <c>y[j] = fma(x[i], B[i,j], y[j])</c>
    /// over the non-zero <c>x[i]</c> in ascending i. So <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    /// over the first rows of B, then this over the rest, gives the bits of one product over all of them.
    /// </summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> b, int ldb, Span<float> y)
    {
        var nothing = default(NothingAfterFirstPart);
        Run(x, b, ldb, y, accumulate: true, ref nothing);
    }

    /// <summary>
    /// The columns the calling thread computes first (all of them unless the product is split): two
    /// column halves on two cores when B is worth a handoff, each core then streaming half of every
    /// row from its own cache.
    /// </summary>
    public static int FirstColumns(int k, int ldb) =>
        Parallelism.MaxThreads > 1 && (long)k * ldb >= ParallelFrom && ldb >= 2 * Padding ? (ldb / 2 + Padding - 1) / Padding * Padding : ldb;

    private static void Run<TAfter>(ReadOnlySpan<float> x, ReadOnlySpan<float> b, int ldb, Span<float> y, bool accumulate, ref TAfter afterFirstColumns)
        where TAfter : struct, IAfterFirstPart
    {
        if (ldb % Padding != 0 || y.Length < ldb || b.Length < (long)x.Length * ldb)
            throw new ArgumentException($"Expected B of {x.Length}x{ldb} (a multiple of {Padding} columns) and y of {ldb} values; received {b.Length} and {y.Length}.");
        if (!IsAccelerated)
            throw new PlatformNotSupportedException("Gemv needs 256- or 512-bit vectors.");
        fixed (float* px = x, pb = b, py = y)
        {
            // The handoff comes first and each part finds the non-zero inputs itself, so the worker
            // wakes while the caller scans instead of after.
            var job = new Job { X = px, K = x.Length, B = pb, Ldb = ldb, Y = py, Half = FirstColumns(x.Length, ldb), Accumulate = accumulate };
            int parts = job.Half < ldb ? 2 : 1;
            Workers.Run(parts, parts, &RunPart, &job, ref afterFirstColumns);
        }
    }

    /// <summary>
    /// Values of B (rows × columns) from which two threads share a product: 256 KiB. Random-weight ReLU
    /// networks on Fashion-MNIST test images, one call, one thread against two: 784→256→64 3.97 against
    /// 3.28 µs, 784→128→64 2.24 against 2.10, 784→64→32 1.46 against 2.30 (the handoff, about 0.7 µs,
    /// is then most of the call).
    /// </summary>
    private const long ParallelFrom = 1 << 16;

    private struct Job
    {
        public float* X, B, Y;
        public int K, Half;
        public nint Ldb;
        public bool Accumulate;
    }

    /// <summary>Part 0 computes columns [0, Half), part 1 the rest; each column is one chain either way.</summary>
    private static void RunPart(void* state, int part)
    {
        ref Job job = ref *(Job*)state;
        int start = part == 0 ? 0 : job.Half, end = part == 0 ? job.Half : (int)job.Ldb;
        if (start >= end)
            return;
        if (t_rows is null || t_rows.Length < job.K + RowsSlack)
            t_rows = new int[job.K + RowsSlack];
        fixed (int* rows = t_rows)
        {
            int count = NonZeroRows(job.X, job.K, rows);
            if (Vector512.IsHardwareAccelerated)
                Multiply512(job.X, rows, count, job.B + start, job.Ldb, job.Y + start, end - start, job.Accumulate);
            else
                Multiply256(job.X, rows, count, job.B + start, job.Ldb, job.Y + start, end - start, job.Accumulate);
        }
    }

    /// <summary>This thread's indices of the non-zero inputs.</summary>
    [ThreadStatic] private static int[]? t_rows;

    /// <summary>
    /// Writes the indices of the non-zero values of <paramref name="x"/> to <paramref name="rows"/>, in
    /// order; returns how many. <paramref name="rows"/> has room for <see cref="RowsSlack"/> more than
    /// <paramref name="k"/>: the vector path stores whole vectors.
    /// </summary>
    private static int NonZeroRows(float* x, int k, int* rows)
    {
        int count = 0, i = 0;
        if (Avx512F.IsSupported)
        {
            // Sixteen at a time without a branch: the non-zero lanes' indices packed to the front
            // (vpcompressd) and stored whole, the count advanced by how many there were. A loop over
            // each block's mask bits mispredicted on every mixed block: a prediction took 4.95 µs with it, 4.39 without.
            var indices = Vector512<int>.Indices;
            for (; i + 16 <= k; i += 16)
            {
                var nonZero = (~Vector512.Equals(Vector512.Load(x + i), Vector512<float>.Zero)).AsInt32();
                Avx512F.Compress(Vector512<int>.Zero, nonZero, indices + Vector512.Create(i)).Store(rows + count);
                count += BitOperations.PopCount(nonZero.ExtractMostSignificantBits());
            }
        }
        for (; i < k; i++)
        {
            rows[count] = i;
            count += x[i] != 0f ? 1 : 0;
        }
        return count;
    }

    /// <summary>Room <see cref="NonZeroRows"/> needs past the input's length.</summary>
    private const int RowsSlack = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply512(float* x, int* rows, int k, float* b, nint ldb, float* y, int n, bool load)
    {
        int j = 0;
        for (; j + 128 <= n; j += 128)
        {
            Vector512<float> c0 = Start512(y + j, load), c1 = Start512(y + j + 16, load), c2 = Start512(y + j + 32, load), c3 = Start512(y + j + 48, load),
                c4 = Start512(y + j + 64, load), c5 = Start512(y + j + 80, load), c6 = Start512(y + j + 96, load), c7 = Start512(y + j + 112, load);
            for (int t = 0; t < k; t++)
            {
                int i = rows[t];
                float* p = b + i * ldb + j;
                var v = Vector512.Create(x[i]);
                c0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p), c0);
                c1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 16), c1);
                c2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 32), c2);
                c3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 48), c3);
                c4 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 64), c4);
                c5 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 80), c5);
                c6 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 96), c6);
                c7 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 112), c7);
            }
            c0.Store(y + j); c1.Store(y + j + 16); c2.Store(y + j + 32); c3.Store(y + j + 48);
            c4.Store(y + j + 64); c5.Store(y + j + 80); c6.Store(y + j + 96); c7.Store(y + j + 112);
        }
        for (; j + 64 <= n; j += 64)
        {
            Vector512<float> c0 = Start512(y + j, load), c1 = Start512(y + j + 16, load), c2 = Start512(y + j + 32, load), c3 = Start512(y + j + 48, load);
            for (int t = 0; t < k; t++)
            {
                int i = rows[t];
                float* p = b + i * ldb + j;
                var v = Vector512.Create(x[i]);
                c0 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p), c0);
                c1 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 16), c1);
                c2 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 32), c2);
                c3 = Vector512.FusedMultiplyAdd(v, Vector512.Load(p + 48), c3);
            }
            c0.Store(y + j); c1.Store(y + j + 16); c2.Store(y + j + 32); c3.Store(y + j + 48);
        }
        for (; j < n; j += 16)
        {
            Vector512<float> c0 = Start512(y + j, load);
            for (int t = 0; t < k; t++)
            {
                int i = rows[t];
                c0 = Vector512.FusedMultiplyAdd(Vector512.Create(x[i]), Vector512.Load(b + i * ldb + j), c0);
            }
            c0.Store(y + j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply256(float* x, int* rows, int k, float* b, nint ldb, float* y, int n, bool load)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            Vector256<float> c0 = Start256(y + j, load), c1 = Start256(y + j + 8, load), c2 = Start256(y + j + 16, load), c3 = Start256(y + j + 24, load),
                c4 = Start256(y + j + 32, load), c5 = Start256(y + j + 40, load), c6 = Start256(y + j + 48, load), c7 = Start256(y + j + 56, load);
            for (int t = 0; t < k; t++)
            {
                int i = rows[t];
                float* p = b + i * ldb + j;
                var v = Vector256.Create(x[i]);
                c0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p), c0);
                c1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 8), c1);
                c2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 16), c2);
                c3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 24), c3);
                c4 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 32), c4);
                c5 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 40), c5);
                c6 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 48), c6);
                c7 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 56), c7);
            }
            c0.Store(y + j); c1.Store(y + j + 8); c2.Store(y + j + 16); c3.Store(y + j + 24);
            c4.Store(y + j + 32); c5.Store(y + j + 40); c6.Store(y + j + 48); c7.Store(y + j + 56);
        }
        for (; j < n; j += 16)
        {
            Vector256<float> c0 = Start256(y + j, load), c1 = Start256(y + j + 8, load);
            for (int t = 0; t < k; t++)
            {
                int i = rows[t];
                float* p = b + i * ldb + j;
                var v = Vector256.Create(x[i]);
                c0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p), c0);
                c1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(p + 8), c1);
            }
            c0.Store(y + j); c1.Store(y + j + 8);
        }
    }

    /// <summary>A chain's starting value: +0, or the value in <paramref name="y"/> when continuing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Start512(float* y, bool load) => load ? Vector512.Load(y) : default;

    /// <inheritdoc cref="Start512"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Start256(float* y, bool load) => load ? Vector256.Load(y) : default;
}
