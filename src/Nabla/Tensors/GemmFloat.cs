using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// One float multiplication, <c>C (+)= op(A)·op(B)</c>, as raw pointers and strides: op(A)[i,p] is
/// <c>A[i*RsA + p*CsA]</c>, op(B)[p,j] is <c>B[p*RsB + j*CsB]</c>. Shared with the worker threads.
/// </summary>
internal unsafe struct GemmJob
{
    public int M, N, K;
    public float* A, B, C;
    public nint RsA, CsA, RsB, CsB, Ldc;
    public bool Accumulate;
    public GemmIsa Isa;
    public GemmMethod Method;
    /// <summary>Threads to run on, the caller's included.</summary>
    public int Threads;
    /// <summary>Number of parts: fixed ranges of whole tiles that the threads claim one at a time.</summary>
    public int Parts;
    /// <summary>Split along N (columns of C) rather than M.</summary>
    public bool SplitN;
    /// <summary>Parts begin on multiples of this many rows or columns: whole tiles.</summary>
    public int Unit;
    /// <summary>Null, or one sum per part of the part's finished C, taken while it is still in cache (see <see cref="GemmFloat.Multiply"/>).</summary>
    public float* Sums;
}

/// <summary>
/// The float GEMM driver: picks the kernel flavour, direct or packed, and the thread split, then
/// walks the tiles. See <see cref="IGemmKernel"/> for why every choice leaves the bits unchanged.
/// </summary>
internal static unsafe class GemmFloat
{
    /// <summary>k-block: a KC×NR panel of B (32 KiB for NR = 32) stays in L1 across the A panels.</summary>
    internal const int KC = 256;

    /// <summary>m-block: a packed MC×KC block of A (168 KiB) stays in L2. A multiple of every MR.</summary>
    internal const int MC = 168;

    /// <summary>n-block: a packed KC×NC block of B (4 MiB) stays in L3.</summary>
    internal const int NC = 4096;

    /// <summary>A second thread pays only above about this much work (measured: 1–2 MFLOP).</summary>
    private const double FlopsPerThread = 1e6;

    /// <summary>
    /// Parts per thread. Two let a thread the scheduler delays hand its second part to the other, but each part packs
    /// all of the operand the split does not divide, so they pack it twice as often: measured on a quiet machine, one
    /// part per thread is 12–21 % faster on 1024³ products with a transposed operand, 5 % on 2048³, 6–12 % on the CNN
    /// workloads' dense products, and 2.5–6 % on whole mlp-sigmoid, cnn-mnist and cnn-letters steps.
    /// </summary>
    private const int PartsPerThread = 1;

    [ThreadStatic] private static AlignedFloats? t_buffer;

    /// <summary>
    /// <c>C (+)= op(A)·op(B)</c>. With <paramref name="proveFinite"/>, also sums each finished piece of C while it
    /// is still in cache and returns true when every sum is finite, which proves every element is (a NaN or an
    /// infinity makes any sum holding it non-finite); false means unproven: some element is not finite, or a sum
    /// of finite values overflowed. A weight gradient proved here needs no second pass over it before the
    /// optimizer's update: over mlp-relu-wide's 3.1 MB gradient that pass cost 2–3 % of a step, over
    /// cnn-letters' 19.6 MB one 3–10 % (`nabla bench`, alternated with the pass switched off).
    /// </summary>
    public static bool Multiply(int m, int n, int k,
        ReadOnlySpan<float> a, int lda, bool transposeA,
        ReadOnlySpan<float> b, int ldb, bool transposeB,
        Span<float> c, int ldc, bool accumulate, GemmOptions options, bool proveFinite = false)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new GemmJob
            {
                M = m, N = n, K = k, A = pa, B = pb, C = pc,
                RsA = transposeA ? 1 : lda, CsA = transposeA ? lda : 1,
                RsB = transposeB ? 1 : ldb, CsB = transposeB ? ldb : 1,
                Ldc = ldc, Accumulate = accumulate,
                Isa = ResolveIsa(options.Isa),
            };
            if (options.Method is GemmMethod.Auto or GemmMethod.Narrow && GemmNarrow.Fits(in job))
            {
                GemmNarrow.Multiply(in job);
                return proveFinite && float.IsFinite(Sum(pc, ldc, m, n));
            }
            if (options.Method is GemmMethod.Auto or GemmMethod.Narrow && GemmNarrowGradient.Fits(in job))
            {
                GemmNarrowGradient.Multiply(in job);
                return proveFinite && float.IsFinite(Sum(pc, ldc, m, n));
            }
            job.Method = ChooseMethod(m, n, k, options.Method == GemmMethod.Narrow ? GemmMethod.Auto : options.Method);
            switch (job.Isa)
            {
                case GemmIsa.Avx512: Split<Avx512Kernel>(ref job, options.Threads); break;
                case GemmIsa.Avx2: Split<Avx2Kernel>(ref job, options.Threads); break;
                default: Split<ScalarKernel>(ref job, options.Threads); break;
            }
            // A whole cache line per part: the parts run on different cores, and the job beside them is read by all.
            float* line = stackalloc float[proveFinite ? (job.Parts + 1) * SumStride : 0];
            float* sums = (float*)(((nint)line + 63) & ~(nint)63);
            for (int part = 0; proveFinite && part < job.Parts; part++)
                sums[part * SumStride] = 0;
            job.Sums = proveFinite ? sums : null;
            // One thread, or another caller holding the workers, runs the same tiles: same bits.
            Workers.Run(job.Threads, job.Parts, &RunPart, &job);
            if (!proveFinite)
                return false;
            for (int part = 0; part < job.Parts; part++)
                if (!float.IsFinite(sums[part * SumStride]))
                    return false;
            return true;
        }
    }

    /// <summary>Floats between two parts' sums: a cache line, so two cores adding to their own never share one (sharing one, mlp-relu-wide's step was no faster for skipping the pass over its gradient).</summary>
    private const int SumStride = 64 / sizeof(float);

    /// <summary>The sum of a <paramref name="rows"/>×<paramref name="cols"/> region of C, in any order: only whether it is finite matters.</summary>
    private static float Sum(float* c, nint ldc, int rows, int cols)
    {
        var acc = Vector256<float>.Zero;
        float tail = 0;
        for (int r = 0; r < rows; r++)
        {
            float* row = c + r * ldc;
            int j = 0;
            for (; j + 8 <= cols; j += 8)
                acc += Vector256.Load(row + j);
            for (; j < cols; j++)
                tail += row[j];
        }
        return Vector256.Sum(acc) + tail;
    }

    private static GemmIsa ResolveIsa(GemmIsa isa)
    {
        bool avx2 = Avx2.IsSupported && Fma.IsSupported;
        return isa switch
        {
            GemmIsa.Auto => Avx512F.IsSupported ? GemmIsa.Avx512 : avx2 ? GemmIsa.Avx2 : GemmIsa.Scalar,
            GemmIsa.Avx512 when !Avx512F.IsSupported => throw new PlatformNotSupportedException("This CPU has no AVX-512."),
            GemmIsa.Avx2 when !avx2 => throw new PlatformNotSupportedException("This CPU has no AVX2 + FMA."),
            _ => isa,
        };
    }

    /// <summary>
    /// Packing costs O(mk + kn) and pays only when A or B is reused from cache many times. Rule of
    /// thumb measured on this kind of machine: direct when M ≤ 8, or B ≤ 1 MiB and M ≤ 128, or
    /// B ≤ 128 KiB; beyond that B no longer fits in L2 and direct fell to half the packed speed.
    /// </summary>
    private static GemmMethod ChooseMethod(int m, int n, int k, GemmMethod method)
    {
        if (method != GemmMethod.Auto)
            return method;
        long bBytes = 4L * k * n;
        bool direct = m <= 8 || (bBytes <= 1 << 20 && m <= 128) || bBytes <= 128 << 10;
        return direct ? GemmMethod.Direct : GemmMethod.Packed;
    }

    /// <summary>
    /// Splits C into equal runs of whole tiles along the dimension that balances better, a few per
    /// thread. The split only decides which thread computes an element, never how, so the bits do
    /// not depend on it.
    /// </summary>
    private static void Split<TK>(ref GemmJob job, int threads) where TK : struct, IGemmKernel
    {
        int parts = threads;
        if (parts <= 0)
        {
            double flops = 2.0 * job.M * job.N * job.K;
            parts = flops < 2 * FlopsPerThread ? 1 : (int)Math.Min(Parallelism.MaxThreads, flops / FlopsPerThread);
        }
        bool dot = job.Method == GemmMethod.Direct && IsDot(in job);
        int unitN = dot ? TK.DotCols : TK.NR;
        int unitM = job.Method == GemmMethod.Packed ? TK.MR : dot ? TK.DotRows : TK.DirectRows;
        double balanceN = Balance(job.N, unitN, parts), balanceM = Balance(job.M, unitM, parts);
        job.SplitN = SplitCost(in job, true, balanceN, parts) <= SplitCost(in job, false, balanceM, parts);
        job.Unit = job.SplitN ? unitN : unitM;
        job.Threads = Math.Max(balanceN, balanceM) > 0 ? parts : 1;
        int units = ((job.SplitN ? job.N : job.M) + job.Unit - 1) / job.Unit;
        job.Parts = job.Threads == 1 ? 1 : Math.Min(units, job.Threads * PartsPerThread);
    }

    /// <summary>
    /// Multiply-adds a value costs to pack by transposing (a transposing pack of mlp-relu-wide's
    /// 784×1000 weight measured about 27 on one core), and to pack by copying rows.
    /// </summary>
    private const double TransposeCost = 24, CopyCost = 6;

    /// <summary>
    /// Estimated time of splitting along N (or M), in multiply-adds per thread: the product spread
    /// by its balance, plus the packing every part repeats. A part packs all of the operand along
    /// the dimension not split (all of B when the rows of C are split), so the split that repeats
    /// the cheaper operand wins when the balance is close: mlp-relu-wide's forward product splits
    /// its 1000 columns and packs the 128×784 batch once per part, not the 784×1000 weight.
    /// </summary>
    private static double SplitCost(in GemmJob job, bool splitN, double balance, int threads)
    {
        if (balance <= 0)
            return double.PositiveInfinity;
        double copies = threads * PartsPerThread;
        double a = (double)job.M * job.K, b = (double)job.K * job.N;
        double packA = 0, packB = 0;
        if (job.Method == GemmMethod.Packed)
        {
            packA = a * (job.RsA == 1 ? CopyCost : TransposeCost);
            packB = b * (job.CsB == 1 ? CopyCost : TransposeCost);
        }
        else if (job.CsB != 1 && !IsDot(in job))
        {
            packB = b * TransposeCost; // direct: a transposed B is copied row-major per part
        }
        double packing = splitN ? copies * packA + packB : packA + copies * packB;
        return a * job.N / (threads * balance) + packing / threads;
    }

    /// <summary>Useful fraction of <paramref name="parts"/> threads' time, or 0 if there are too few tiles.</summary>
    private static double Balance(int size, int unit, int parts)
    {
        int units = (size + unit - 1) / unit;
        if (parts <= 1)
            return 1;
        if (units < parts)
            return 0;
        int largest = (units + parts - 1) / parts;
        return (double)size / ((long)largest * unit * parts);
    }

    /// <summary>
    /// Row counts up to which a direct <c>A·Bᵀ</c> runs as dot products. Beyond it, transposing B
    /// once (8×8 register blocks, O(kn)) and running the FMA tile kernel is faster: the dot kernel
    /// pays 16 horizontal sums per 4×4 tile and has half the accumulators.
    /// </summary>
    private const int DotMaxRows = 4;

    private static bool IsDot(in GemmJob job) => job.M <= DotMaxRows && job.CsA == 1 && job.RsB == 1 && job.CsB != 1;

    /// <summary>Computes part <paramref name="part"/> of the <see cref="GemmJob"/> at <paramref name="state"/>; called by the caller and the workers.</summary>
    private static void RunPart(void* state, int part)
    {
        ref GemmJob job = ref *(GemmJob*)state;
        int size = job.SplitN ? job.N : job.M;
        int units = (size + job.Unit - 1) / job.Unit;
        int lo = Math.Min(size, (int)((long)units * part / job.Parts) * job.Unit);
        int hi = Math.Min(size, (int)((long)units * (part + 1) / job.Parts) * job.Unit);
        int i0 = 0, i1 = job.M, j0 = 0, j1 = job.N;
        if (job.SplitN)
            (j0, j1) = (lo, hi);
        else
            (i0, i1) = (lo, hi);
        if (i0 >= i1 || j0 >= j1)
            return;
        switch (job.Isa)
        {
            case GemmIsa.Avx512: Run<Avx512Kernel>(in job, i0, i1, j0, j1, part); break;
            case GemmIsa.Avx2: Run<Avx2Kernel>(in job, i0, i1, j0, j1, part); break;
            default: Run<ScalarKernel>(in job, i0, i1, j0, j1, part); break;
        }
    }

    private static void Run<TK>(in GemmJob job, int i0, int i1, int j0, int j1, int part) where TK : struct, IGemmKernel
    {
        float* sum = job.Sums == null ? null : job.Sums + part * SumStride;
        if (job.Method == GemmMethod.Packed)
        {
            RunPackedBlocks<TK>(in job, i0, i1, j0, j1, sum);
            return;
        }
        if (IsDot(in job))
            RunDot<TK>(in job, i0, i1, j0, j1);
        else
            RunDirect<TK>(in job, i0, i1, j0, j1);
        // A direct product's part is small: its C is still in cache.
        if (sum != null)
            *sum += Sum(job.C + i0 * job.Ldc + j0, job.Ldc, i1 - i0, j1 - j0);
    }

    /// <summary>A·Bᵀ: rows of A and rows of B are both contiguous in k, so no transpose is needed.</summary>
    private static void RunDot<TK>(in GemmJob job, int i0, int i1, int j0, int j1) where TK : struct, IGemmKernel
    {
        // B's rows (DotCols of them) stay in L1 while A's rows stream past.
        for (int j = j0; j < j1; j += TK.DotCols)
        {
            int cols = Math.Min(TK.DotCols, j1 - j);
            for (int i = i0; i < i1; i += TK.DotRows)
            {
                int rows = Math.Min(TK.DotRows, i1 - i);
                TK.Dot(rows, cols, job.K, job.A + i * job.RsA, job.RsA, job.B + j * job.CsB, job.CsB,
                    job.C + i * job.Ldc + j, job.Ldc, job.Accumulate);
            }
        }
    }

    private static void RunDirect<TK>(in GemmJob job, int i0, int i1, int j0, int j1) where TK : struct, IGemmKernel
    {
        int k = job.K, width = j1 - j0;
        float* b;
        nint ldb;
        if (job.CsB == 1)
        {
            b = job.B + j0;
            ldb = job.RsB;
        }
        else
        {
            // B stored transposed: copy this part's columns of op(B) row-major once (O(kn) against
            // the O(mkn) product), then run as A·B.
            b = Buffer((long)k * width);
            ldb = width;
            Transpose(job.B + j0 * job.CsB, job.CsB, width, k, b, width);
        }
        // A k×NR strip of B stays in L2 while every row block of A passes over it.
        for (int j = 0; j < width; j += TK.NR)
        {
            int cols = Math.Min(TK.NR, width - j);
            for (int i = i0; i < i1; i += TK.DirectRows)
            {
                int rows = Math.Min(TK.DirectRows, i1 - i);
                TK.Direct(rows, cols, k, job.A + i * job.RsA, job.RsA, job.CsA, b + j, ldb,
                    job.C + i * job.Ldc + j0 + j, job.Ldc, job.Accumulate);
            }
        }
    }

    /// <summary>
    /// Up to this many k steps per tile, the tiles of a block run row panel by row panel (each A panel stays in L1
    /// while the B panels stream from L2, and C is written a few whole rows at a time); above it, column panel by
    /// column panel (each B panel stays in L1 for the whole block of A). With few k steps a tile is mostly its
    /// stores, and writing C row by row lets the hardware prefetch the lines it writes.
    /// </summary>
    private const int RowOrderMaxK = 64;

    /// <remarks><paramref name="sum"/>, when not null, gathers the sum of C's finished tiles (see <see cref="Block{TK}"/>).</remarks>
    private static void RunPackedBlocks<TK>(in GemmJob job, int i0, int i1, int j0, int j1, float* sum) where TK : struct, IGemmKernel
    {
        int mr = TK.MR, nr = TK.NR;
        // k-blocks of equal length: 784 as 4 × 196 rather than 3 × 256 + 16, whose 16-step tiles would be mostly
        // loading and storing C. Where C's k-blocks end does not change its bits: each element's chain is stored
        // and reloaded exactly.
        int kcMax = (job.K + (job.K + KC - 1) / KC - 1) / ((job.K + KC - 1) / KC);
        // One block of A (a batch of a few dozen rows): pack it once per k-block and walk B in blocks small enough
        // to stay in L2 from packing to use; otherwise B's blocks are as large as L3 allows and A's are repacked.
        bool oneBlock = i1 - i0 <= MC;
        int ncStep = oneBlock ? Math.Max(nr, SmallBlockBytes / sizeof(float) / kcMax / nr * nr) : NC;
        int ncMax = Math.Min(ncStep, RoundUp(j1 - j0, nr));
        int aSize = RoundUp(MC * kcMax, 16); // keeps the B panels 64-byte aligned too
        float* aPack = Buffer(aSize + (long)kcMax * ncMax);
        float* bPack = aPack + aSize;
        if (oneBlock)
        {
            int mc = i1 - i0;
            // Only a row-major B larger than the caches gains: measured, fetching ahead slowed the products whose
            // stored Bᵀ is read as many short rows, and those whose B was already in L3.
            bool fetchAhead = job.CsB == 1 && (long)job.K * job.N * sizeof(float) > AheadFromBytes;
            for (int pc = 0; pc < job.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, job.K - pc);
                PackA<TK>(mc, kc, job.A + i0 * job.RsA + pc * job.CsA, job.RsA, job.CsA, aPack);
                for (int jc = j0; jc < j1; jc += ncStep)
                {
                    int nc = Math.Min(ncStep, j1 - jc);
                    PackB<TK>(kc, nc, job.B + pc * job.RsB + jc * job.CsB, job.RsB, job.CsB, bPack);
                    // While this block computes, fetch the next one's source into L2, so its packing does not wait for memory.
                    int nextPc = jc + ncStep < j1 ? pc : pc + kcMax, nextJc = jc + ncStep < j1 ? jc + ncStep : j0;
                    var ahead = nextPc < job.K && fetchAhead
                        ? SourceAhead.Of(in job, nextPc, Math.Min(kcMax, job.K - nextPc), nextJc, Math.Min(ncStep, j1 - nextJc), RoundUp(mc, mr) / mr * RoundUp(nc, nr) / nr)
                        : default;
                    Block<TK>(in job, kc, mc, nc, aPack, bPack, job.C + i0 * job.Ldc + jc, job.Accumulate || pc > 0, ref ahead,
                        pc + kc >= job.K ? sum : null);
                }
            }
            return;
        }
        for (int jc = j0; jc < j1; jc += NC)
        {
            int nc = Math.Min(NC, j1 - jc);
            for (int pc = 0; pc < job.K; pc += kcMax)
            {
                int kc = Math.Min(kcMax, job.K - pc);
                PackB<TK>(kc, nc, job.B + pc * job.RsB + jc * job.CsB, job.RsB, job.CsB, bPack);
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mc = Math.Min(MC, i1 - ic);
                    PackA<TK>(mc, kc, job.A + ic * job.RsA + pc * job.CsA, job.RsA, job.CsA, aPack);
                    var none = default(SourceAhead);
                    Block<TK>(in job, kc, mc, nc, aPack, bPack, job.C + ic * job.Ldc + jc, job.Accumulate || pc > 0, ref none,
                        pc + kc >= job.K ? sum : null);
                }
            }
        }
    }

    /// <summary>A one-block product fetches B's next block ahead only when B is larger than this (it is then read from memory).</summary>
    private const long AheadFromBytes = 8L << 20;

    /// <summary>Bytes of packed B a one-block product walks at a time: well inside L2 with A's block beside it.</summary>
    private const int SmallBlockBytes = 256 << 10;

    /// <summary>
    /// The tiles of an <paramref name="mc"/>×<paramref name="nc"/> block of C from packed A and B blocks. A non-null
    /// <paramref name="sum"/> (the block's last k-block) gathers the sum of every finished tile from the kernel's
    /// registers. Summing each panel of tiles from cache after it was stored cost more than it saved: mlp-relu-wide
    /// gained 1.3 % a step that way, and lost 3 % with a sum of each tile's C from L1.
    /// </summary>
    private static void Block<TK>(in GemmJob job, int kc, int mc, int nc, float* aPack, float* bPack, float* cBlock, bool load,
        ref SourceAhead ahead, float* sum) where TK : struct, IGemmKernel
    {
        int mr = TK.MR, nr = TK.NR;
        nint ldc = job.Ldc;
        if (kc <= RowOrderMaxK)
        {
            for (int ir = 0; ir < mc; ir += mr)
                for (int jr = 0; jr < nc; jr += nr)
                {
                    float* c = cBlock + ir * ldc + jr;
                    Prefetch<TK>(jr + nr < nc ? c + nr : cBlock + (ir + mr) * ldc, ldc, ir + mr < mc || jr + nr < nc);
                    ahead.Step();
                    Tile<TK>(kc, aPack + ir * kc, bPack + jr * kc, c, ldc, load, Math.Min(mr, mc - ir), Math.Min(nr, nc - jr), sum);
                }
        }
        else
        {
            for (int jr = 0; jr < nc; jr += nr)
                for (int ir = 0; ir < mc; ir += mr)
                {
                    float* c = cBlock + ir * ldc + jr;
                    Prefetch<TK>(ir + mr < mc ? c + mr * ldc : cBlock + jr + nr, ldc, ir + mr < mc || jr + nr < nc);
                    ahead.Step();
                    Tile<TK>(kc, aPack + ir * kc, bPack + jr * kc, c, ldc, load, Math.Min(mr, mc - ir), Math.Min(nr, nc - jr), sum);
                }
        }
    }

    /// <summary>
    /// Asks for the next tile's rows of C while this one computes: a tile reads C before its first multiply-add
    /// (every k-block but the first) and writes it after its last, and a C that is not in cache would otherwise
    /// stall the tile for a memory latency. A row of C that does not start on a cache line (a <c>float[]</c> never
    /// does) spans one line more than its width needs, hence the row's last value too: without it 2048³ fell from
    /// 158 to 148 GFLOP/s on one core. Edge tiles may ask for a line past the block; a prefetch never faults.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch<TK>(float* next, nint ldc, bool any) where TK : struct, IGemmKernel
    {
        if (!Sse.IsSupported || !any)
            return;
        for (int r = 0; r < TK.MR; r++)
        {
            for (int j = 0; j < TK.NR; j += 16)
                Sse.Prefetch0(next + r * ldc + j);
            Sse.Prefetch0(next + r * ldc + TK.NR - 1);
        }
    }

    /// <summary>
    /// The stored rows of B a block will pack, fetched into L2 a few cache lines per tile of the block before: a
    /// one-block product (a batch of a few dozen rows against a large weight) otherwise alternates between packing,
    /// which waits for memory, and computing, which leaves memory idle. The default value fetches nothing.
    /// </summary>
    private struct SourceAhead
    {
        private byte* _first;
        private nint _stride;
        private int _rows, _lines, _perTile, _row, _line;

        /// <summary>
        /// The source of a row-major op(B)[pc.., jc..], kc rows of nc values, spread over <paramref name="tiles"/> calls of
        /// <see cref="Step"/>. A row that does not start on a line is covered by one line more, starting at its start.
        /// </summary>
        public static SourceAhead Of(in GemmJob job, int pc, int kc, int jc, int nc, int tiles)
        {
            int lines = (nc * sizeof(float) + 63) / 64 + 1;
            return new SourceAhead
            {
                _first = (byte*)(job.B + pc * job.RsB + jc), _stride = job.RsB * sizeof(float), _rows = kc, _lines = lines,
                _perTile = Sse.IsSupported ? (kc * lines + tiles - 1) / Math.Max(1, tiles) : 0,
            };
        }

        /// <summary>Asks for the next share of the lines.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step()
        {
            for (int i = 0; i < _perTile && _row < _rows; i++)
            {
                Sse.Prefetch1(_first + _row * _stride + _line * 64);
                if (++_line == _lines)
                {
                    _line = 0;
                    _row++;
                }
            }
        }
    }

    /// <summary>One <paramref name="rows"/>×<paramref name="cols"/> tile of C from packed panels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TK>(int kc, float* a, float* b, float* c, nint ldc, bool load, int rows, int cols, float* sum)
        where TK : struct, IGemmKernel
    {
        int mr = TK.MR, nr = TK.NR;
        if (rows == mr && cols == nr)
        {
            TK.Packed(kc, a, b, c, ldc, load, sum);
            return;
        }
        // Edge tile: the direct kernel reads the packed panels in place (A's MR values per k step, B's NR) and does only
        // the rows and columns there are, straight into C, with the same chain per element as the full tile.
        TK.Direct(rows, cols, kc, a, 1, mr, b, nr, c, ldc, load);
        if (sum != null)
            *sum += Sum(c, ldc, rows, cols);
    }

    /// <summary>
    /// Packs op(A)[0..mc, 0..kc] into MR-row panels, k-major (panel q holds rows qMR.., MR values per
    /// k step). The last panel's missing rows are left as they are: an edge tile reads only the rows there are.
    /// </summary>
    private static void PackA<TK>(int mc, int kc, float* a, nint rsA, nint csA, float* dst) where TK : struct, IGemmKernel
    {
        int mr = TK.MR;
        if (rsA == 1)
        {
            // Aᵀ stored: each k step's values are contiguous, so read it row by row (a whole row of the stored
            // matrix at a time, which the hardware prefetches) and deal each row's values out to the panels.
            for (int p = 0; p < kc; p++)
                for (int ir = 0; ir < mc; ir += mr)
                    Copy(a + p * csA + ir, dst + ir * kc + p * mr, Math.Min(mr, mc - ir));
            return;
        }
        for (int ir = 0; ir < mc; ir += mr)
        {
            Transpose(a + ir * rsA, rsA, Math.Min(mr, mc - ir), kc, dst, mr);
            dst += mr * kc;
        }
    }

    /// <summary>
    /// Packs op(B)[0..kc, 0..nc] into NR-column panels, k-major (NR values per k step). The last panel's
    /// missing columns are left as they are: an edge tile reads only the columns there are.
    /// </summary>
    private static void PackB<TK>(int kc, int nc, float* b, nint rsB, nint csB, float* dst) where TK : struct, IGemmKernel
    {
        int nr = TK.NR;
        if (csB == 1)
        {
            // Row by row, as PackA reads a stored Aᵀ: one row of B's block is nc contiguous values.
            for (int p = 0; p < kc; p++)
                for (int jr = 0; jr < nc; jr += nr)
                    Copy(b + p * rsB + jr, dst + jr * kc + p * nr, Math.Min(nr, nc - jr));
            return;
        }
        for (int jr = 0; jr < nc; jr += nr)
        {
            // Bᵀ stored: B's rows are the panel's columns.
            Transpose(b + jr * csB, csB, Math.Min(nr, nc - jr), kc, dst, nr);
            dst += nr * kc;
        }
    }

    /// <summary>
    /// Source rows transposed together, eight columns at a time. Eight rows fill half a cache line of each
    /// destination row, and with a wide destination (a direct product's <c>Bᵀ</c>, 256 floats a row) the line was
    /// gone before the next eight rows' pass filled the other half: 64x784x256 A·Bᵀ ran at 118 GFLOP/s on one
    /// thread with bands of 8 rows, 131 with 16, 142 with 32, 145–150 with 64 (two threads 253, 289, 299, 302–304).
    /// </summary>
    private const int TransposeBand = 64;

    /// <summary>
    /// <c>dst[p*ldd + r] = src[r*lds + p]</c> for r &lt; rows, p &lt; cols: rows of the source become
    /// columns of the destination. 8×8 blocks go through registers when AVX is there, a band of up to
    /// <see cref="TransposeBand"/> source rows at a time.
    /// </summary>
    private static void Transpose(float* src, nint lds, int rows, int cols, float* dst, nint ldd)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            while (r + 8 <= rows)
            {
                int band = Math.Min(TransposeBand, (rows - r) & ~7);
                int p = 0;
                for (; p + 8 <= cols; p += 8)
                    for (int q = r; q < r + band; q += 8)
                        Transpose8x8(src + q * lds + p, lds, dst + p * ldd + q, ldd);
                for (; p < cols; p++)
                    for (int i = 0; i < band; i++)
                        dst[p * ldd + r + i] = src[(r + i) * lds + p];
                r += band;
            }
        }
        for (; r < rows; r++)
            for (int p = 0; p < cols; p++)
                dst[p * ldd + r] = src[r * lds + p];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint lds, float* d, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<float> r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds);
        Vector256<float> r6 = Avx.LoadVector256(s + 6 * lds), r7 = Avx.LoadVector256(s + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Copies <paramref name="count"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8)
            Vector256.Store(Vector256.Load(src + i), dst + i);
        for (; i < count; i++)
            dst[i] = src[i];
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>
    /// This thread's scratch space of at least <paramref name="floats"/> floats, 64-byte aligned. It is
    /// pinned and kept, so steady-state calls allocate nothing.
    /// </summary>
    private static float* Buffer(long floats)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < floats)
        {
            // Grow by half again so a slowly growing sequence of shapes does not reallocate each call.
            long length = Math.Max(floats, (long)((buffer?.Length ?? 0) * 1.5));
            t_buffer = buffer = new AlignedFloats((int)Math.Min(length, AlignedFloats.MaxLength), zeroed: false);
        }
        return buffer.Pointer;
    }
}
