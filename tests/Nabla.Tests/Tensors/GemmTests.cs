using System.Runtime.Intrinsics.X86;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

[Collection(ThreadCountCollection.Name)]
public class GemmTests
{
    private static readonly GemmIsa[] Isas = SupportedIsas();

    /// <summary>Every path the float GEMM can take on this machine, each with 1 and 2 threads, and the narrow kernel where a shape fits it.</summary>
    private static readonly GemmOptions[] Paths =
        (from isa in Isas
         from method in new[] { GemmMethod.Direct, GemmMethod.Packed }
         from threads in new[] { 1, 2 }
         select new GemmOptions(isa, method, threads)).Append(new GemmOptions(GemmIsa.Auto, GemmMethod.Narrow, 1)).ToArray();

    private static GemmIsa[] SupportedIsas()
    {
        var isas = new List<GemmIsa>();
        if (Avx512F.IsSupported)
            isas.Add(GemmIsa.Avx512);
        if (Avx2.IsSupported && Fma.IsSupported)
            isas.Add(GemmIsa.Avx2);
        isas.Add(GemmIsa.Scalar);
        return [.. isas];
    }

    /// <summary>
    /// Sizes around every vector width, tile edge (MR 4/6/8, NR 4/16/32) and block edge (KC 256,
    /// MC 168), sampled rather than swept as a full cube so the suite stays fast.
    /// </summary>
    public static TheoryData<int, int, int> SweepShapes()
    {
        int[] dims = [1, 2, 7, 13, 31, 33, 63, 65, 129, 256];
        var data = new TheoryData<int, int, int>
        {
            { 1, 1, 1 }, { 1, 256, 1 }, { 256, 1, 1 }, { 1, 1, 256 },
            { 8, 32, 16 }, { 6, 16, 8 }, { 9, 33, 17 }, { 17, 65, 300 },
            { 170, 40, 300 }, { 9, 4100, 5 },
        };
        var rng = new Random(1234);
        var seen = new HashSet<(int, int, int)>();
        while (seen.Count < 26)
        {
            var shape = (dims[rng.Next(dims.Length)], dims[rng.Next(dims.Length)], dims[rng.Next(dims.Length)]);
            if ((long)shape.Item1 * shape.Item2 * shape.Item3 <= 1 << 18 && seen.Add(shape))
                data.Add(shape.Item1, shape.Item2, shape.Item3);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SweepShapes))]
    public void EveryPathMatchesTheReference(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                CheckAllPaths(m, n, k, ta, tb, accumulate: (m + n + k) % 2 == 0, pad: (m + k) % 3, Paths);
    }

    /// <summary>The narrow kernel's shapes (n = k dividing 16, dense rows), with and without a remainder of rows.</summary>
    [Theory]
    [InlineData(1000, 2, false)]
    [InlineData(1000, 2, true)]
    [InlineData(37, 4, false)]
    [InlineData(9, 8, true)]
    [InlineData(5, 16, false)]
    [InlineData(17, 1, true)]
    public void NarrowShapesMatchTheReference(int m, int n, bool accumulate)
    {
        foreach (bool tb in new[] { false, true })
            CheckAllPaths(m, n, n, false, tb, accumulate, pad: 0, [default, new GemmOptions(Isas[0], GemmMethod.Direct, 1), new GemmOptions(GemmIsa.Scalar, GemmMethod.Packed, 1), new GemmOptions(GemmIsa.Auto, GemmMethod.Narrow, 1)]);
    }

    /// <summary>
    /// The weight gradient of an n-to-n layer (<c>Aᵀ·B</c>, A and B stored K×n): within rounding of the exact product
    /// on every path, and on the chosen one (<see cref="GemmNarrowGradient"/>) the bits of the documented lane order.
    /// </summary>
    [Theory]
    [InlineData(2, 1000, false)]  // seed 000's layers: 62 blocks of 32 values per operand and a tail of 16
    [InlineData(2, 1000, true)]
    [InlineData(1, 64, false)]    // one block exactly
    [InlineData(1, 333, true)]
    [InlineData(4, 101, false)]
    [InlineData(8, 8, true)]      // one row a block
    [InlineData(8, 129, false)]
    [InlineData(2, 37, true)]
    public void NarrowGradientShapesMatchTheReferenceAndTheLaneOrder(int n, int k, bool accumulate)
    {
        CheckAllPaths(n, n, k, true, false, accumulate, pad: 0, [.. Paths, default]);
        var p = Problem.Create(n, n, k, true, false, pad: 0, seed: 17 * n + k);
        Assert.Equal(LaneOrderProduct(p, accumulate), p.Run(default, accumulate));
        Assert.Equal(p.Run(default, accumulate), p.Run(new GemmOptions(Method: GemmMethod.Narrow), accumulate));
    }

    /// <summary>
    /// GemmNarrowGradient's order written out element by element: the K×n operands read as vectors of eight values;
    /// rotation s of vector v (lane r·n+i pairs A[r,i] with B[r,(i+s) mod n]) into accumulator (v mod 8/n) of that
    /// rotation by fused multiply-adds; each rotation's accumulators added pairwise; each element's lanes in ascending
    /// order, added to C or not.
    /// </summary>
    private static float[] LaneOrderProduct(Problem p, bool accumulate)
    {
        int n = p.N, perBlock = 8 / n;
        var c = (float[])p.C.Clone();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var accumulators = new float[perBlock, 8];
                for (int at = i; at < p.K * n; at += n)
                {
                    int vector = at / 8, row = at / n;
                    accumulators[vector % perBlock, at % 8] = MathF.FusedMultiplyAdd(p.A[at], p.B[row * n + j], accumulators[vector % perBlock, at % 8]);
                }
                var total = new float[8];
                for (int lane = 0; lane < 8; lane++)
                {
                    var level = Enumerable.Range(0, perBlock).Select(q => accumulators[q, lane]).ToArray();
                    while (level.Length > 1)
                        level = Enumerable.Range(0, level.Length / 2).Select(q => level[2 * q] + level[2 * q + 1]).ToArray();
                    total[lane] = level[0];
                }
                float sum = total[i];
                for (int lane = i + n; lane < 8; lane += n)
                    sum += total[lane];
                c[i * p.Ldc + j] = accumulate ? c[i * p.Ldc + j] + sum : sum;
            }
        return c;
    }

    /// <summary>A packed product's edge tiles (up to MR rows, NR columns) run through the direct kernel, which must take them.</summary>
    [Fact]
    public void EveryKernelsDirectTileCoversAPackedTile()
    {
        Assert.True(Avx512Kernel.DirectRows >= Avx512Kernel.MR, "AVX-512");
        Assert.True(Avx2Kernel.DirectRows >= Avx2Kernel.MR, "AVX2");
        Assert.True(ScalarKernel.DirectRows >= ScalarKernel.MR, "scalar");
    }

    /// <summary>
    /// A direct product copies a stored Bᵀ row-major, transposing up to 64 of its rows per column step: every band
    /// width (64, 56, 40, 32, 24, 8), with rows and columns left over for the element-by-element tail.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(27)]
    [InlineData(45)]
    [InlineData(63)]
    [InlineData(100)]
    [InlineData(130)]
    public void TransposedBMatchesTheReferenceForEveryBandWidth(int n)
    {
        var paths = Isas.Select(isa => new GemmOptions(isa, GemmMethod.Direct, 1)).ToArray();
        CheckAllPaths(9, n, 29, false, true, accumulate: false, pad: 3, paths);
    }

    /// <summary>mlp-sigmoid's first layer (every combination) and mlp-relu-wide's forward and weight gradient.</summary>
    [Theory]
    [InlineData(64, 256, 784, false, false)]
    [InlineData(64, 256, 784, false, true)]
    [InlineData(64, 256, 784, true, false)]
    [InlineData(64, 256, 784, true, true)]
    [InlineData(128, 1000, 784, false, true)]
    [InlineData(1000, 784, 128, true, false)]
    public void WorkloadShapesMatchTheReference(int m, int n, int k, bool ta, bool tb)
    {
        var paths = new[]
        {
            default,
            new GemmOptions(Isas[0], m <= 128 ? GemmMethod.Direct : GemmMethod.Packed, 1),
            new GemmOptions(Isas[0], GemmMethod.Packed, 2),
        };
        CheckAllPaths(m, n, k, ta, tb, accumulate: ta, pad: tb ? 5 : 0, paths);
    }

    [Theory]
    [InlineData(64, 256, 784)]
    [InlineData(784, 256, 64)]
    [InlineData(64, 64, 256)]
    [InlineData(128, 1000, 784)]
    [InlineData(1000, 10, 128)]
    [InlineData(300, 300, 300)]
    public void OneAndTwoThreadsGiveIdenticalBits(int m, int n, int k)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var p = Problem.Create(m, n, k, ta, tb, pad: 0, seed: m + n + k);
                float[] one = p.Run(new GemmOptions(Threads: 1), accumulate: true);
                float[] two = p.Run(new GemmOptions(Threads: 2), accumulate: true);
                Assert.True(one.AsSpan().SequenceEqual(two), $"{m}x{n}x{k} ta={ta} tb={tb}: 1 and 2 threads differ");
            }
    }

    /// <summary>
    /// C at every float offset within a cache line, rows a multiple of 16 floats apart, so the packed tiles' rows
    /// straddle cache lines differently each time; few k steps (row-panel order) and many (column-panel order). The
    /// bits must match the scalar packed path's.
    /// </summary>
    [Theory]
    [InlineData(37, 300, 20, false, false)]
    [InlineData(37, 300, 20, true, false)]
    [InlineData(21, 200, 100, false, true)]
    [InlineData(20, 260, 300, true, true)]
    public void EveryAlignmentOfCGivesTheSameBits(int m, int n, int k, bool ta, bool tb)
    {
        var p = Problem.Create(m, n, k, ta, tb, pad: 0, seed: m + n + k);
        const int ldc = 320;
        var (reference, bound) = p.Reference(accumulate: false);
        float[]? expected = null;
        foreach (var options in new[] { new GemmOptions(GemmIsa.Scalar, GemmMethod.Packed, 1) }.Concat(
                     from isa in Isas from threads in new[] { 1, 2 } select new GemmOptions(isa, GemmMethod.Packed, threads)))
            for (int offset = 0; offset < 16; offset++)
            {
                var c = new float[offset + m * ldc];
                Gemm.Multiply(m, n, k, p.A, p.Lda, ta, p.B, p.Ldb, tb, c.AsSpan(offset), ldc, accumulate: false, options);
                var got = new float[m * n];
                for (int i = 0; i < m; i++)
                {
                    c.AsSpan(offset + i * ldc, n).CopyTo(got.AsSpan(i * n));
                    for (int j = 0; j < n; j++)
                        Assert.True(Math.Abs(got[i * n + j] - reference[i * p.Ldc + j]) <= bound[i * p.Ldc + j], $"{options} offset {offset}: C[{i},{j}]");
                    Assert.True(c.AsSpan(offset + i * ldc + n, i + 1 < m ? ldc - n : 0).IndexOfAnyExcept(0f) < 0, $"{options} offset {offset}: wrote past row {i}");
                }
                expected ??= got;
                Assert.True(got.AsSpan().SequenceEqual(expected), $"{options} offset {offset}: differs from the scalar packed bits");
            }
    }

    [Fact]
    public void PublicApiMatchesTheReferenceForFloatAndDouble()
    {
        var a = Matrix<double>.FromRows([1, 2, 3], [4, 5, 6]);
        var b = Matrix<double>.FromRows([7, 8], [9, 10], [11, 12]);
        var expected = new double[] { 58, 64, 139, 154 };
        var c = new Matrix<double>(2, 2);
        Gemm.Multiply(a, false, b, false, c);
        Assert.Equal(expected, c.Span.ToArray());

        var cf = new Matrix<float>(2, 2);
        Gemm.Multiply(a.Convert<float>(), false, b.Convert<float>(), false, cf);
        Gemm.Multiply(a.Convert<float>(), false, b.Convert<float>(), false, cf, accumulate: true);
        Assert.Equal(expected.Select(x => (float)(2 * x)), cf.Span.ToArray());
    }

    [Fact]
    public void NonAccumulatingIgnoresOldContentsEvenNaN()
    {
        var p = Problem.Create(5, 40, 9, false, false, pad: 0, seed: 7);
        Array.Fill(p.C, float.NaN);
        foreach (var options in Paths)
        {
            float[] c = p.Run(options, accumulate: false);
            Assert.DoesNotContain(c, float.IsNaN);
        }
    }

    [Fact]
    public void ZeroKClearsOrKeepsC()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply<float>(2, 2, 0, [], 1, false, [], 2, false, c, 2, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Multiply<float>(2, 2, 0, [], 1, false, [], 2, false, c, 2, accumulate: false);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void BadArgumentsThrowAndSayWhatWasReceived()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply<float>(2, 2, 3, new float[5], 3, false, new float[6], 2, false, new float[4], 2, false));
        Assert.Contains("A is stored 2x3", ex.Message);
        Assert.Contains("received 5", ex.Message);
        ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply<float>(2, 2, 3, new float[6], 3, false, new float[6], 1, false, new float[4], 2, false));
        Assert.Contains("leading dimension must be at least 2; received 1", ex.Message);
        Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new Matrix<float>(2, 3), false, new Matrix<float>(2, 3), false, new Matrix<float>(2, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxThreads = 0);
    }

    [Fact]
    public void ConcurrentCallersShareTheWorkersAndGetTheSameBits()
    {
        // Four threads hammer the worker pool with products of several shapes and part counts (a
        // caller that finds the workers busy runs alone; late workers must never run a part twice or
        // a part of the wrong product). Every result must equal the one-thread bits.
        var problems = new[]
        {
            Problem.Create(64, 256, 300, false, true, pad: 0, seed: 5),
            Problem.Create(200, 40, 100, true, false, pad: 1, seed: 6),
            Problem.Create(9, 700, 64, false, false, pad: 0, seed: 7),
        };
        // Accumulating, so a part run twice (or into the wrong product) shows.
        var expected = problems.Select(p => p.Run(new GemmOptions(Threads: 1), true)).ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var callers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var c = problems.Select(p => (float[])p.C.Clone()).ToArray();
            for (int round = 0; round < 150; round++)
            {
                int i = (round + t) % problems.Length;
                problems[i].C.CopyTo(c[i], 0);
                problems[i].RunInto(c[i], new GemmOptions(Threads: 2 + round % 3), true);
                if (!c[i].AsSpan().SequenceEqual(expected[i]))
                    failures.Add($"caller {t}, round {round}, problem {i}");
            }
        })).ToArray();
        foreach (var caller in callers)
            caller.Start();
        foreach (var caller in callers)
            caller.Join();
        Assert.Empty(failures);
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var p = Problem.Create(64, 256, 784, false, true, pad: 0, seed: 3);
        var q = Problem.Create(300, 300, 300, true, false, pad: 0, seed: 4);
        var c1 = new float[p.C.Length];
        var c2 = new float[q.C.Length];
        for (int warm = 0; warm < 3; warm++)
        {
            p.RunInto(c1, new GemmOptions(Threads: 1), false);
            q.RunInto(c2, new GemmOptions(Threads: 1), false);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        p.RunInto(c1, new GemmOptions(Threads: 1), false);
        q.RunInto(c2, new GemmOptions(Threads: 1), false);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>
    /// Runs every path, checks each against a float64 triple loop within
    /// <c>(k + 2)·ε·Σ|a||b|</c>, then checks the bits: 1 and 2 threads must agree on every path, and
    /// every path except the vector dot-product kernels must agree with the scalar packed one.
    /// </summary>
    private static void CheckAllPaths(int m, int n, int k, bool ta, bool tb, bool accumulate, int pad, GemmOptions[] paths)
    {
        var p = Problem.Create(m, n, k, ta, tb, pad, seed: m * 7919 + n * 31 + k + (ta ? 1 : 0) + (tb ? 2 : 0));
        var (reference, bound) = p.Reference(accumulate);
        float[]? scalarPacked = null;
        var byPath = new Dictionary<GemmOptions, float[]>();
        foreach (var options in paths)
        {
            float[] c = p.Run(options, accumulate);
            byPath[options] = c;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    int at = i * p.Ldc + j;
                    double error = Math.Abs(c[at] - reference[at]);
                    if (!(error <= bound[at]))
                        Assert.Fail($"{options} {m}x{n}x{k} ta={ta} tb={tb} acc={accumulate} pad={pad}: C[{i},{j}] = {c[at]}, expected {reference[at]} (error {error:g3} > {bound[at]:g3})");
                }
            // Elements beyond each row of C (the leading-dimension padding) must be left alone.
            for (int i = 0; i < m; i++)
                for (int j = n; j < p.Ldc && i * p.Ldc + j < c.Length; j++)
                    if (c[i * p.Ldc + j] != p.C[i * p.Ldc + j])
                        Assert.Fail($"{options} {m}x{n}x{k}: wrote C[{i},{j}], past the row's end");
            if (options is { Isa: GemmIsa.Scalar, Method: GemmMethod.Packed })
                scalarPacked = c;
        }
        foreach (var (options, c) in byPath)
        {
            var other = byPath.GetValueOrDefault(options with { Threads = 3 - options.Threads });
            if (options.Threads is 1 or 2 && other is not null)
                Assert.True(c.AsSpan().SequenceEqual(other), $"{options} {m}x{n}x{k} ta={ta} tb={tb}: thread counts differ");
            // Mirrors GemmFloat: rows of op(A) contiguous and op(B) stored transposed. (With m = 1 and
            // lda = 1, Aᵀ qualifies too.)
            bool aRowsContiguous = !ta || p.Lda == 1, bStoredTransposed = tb && p.Ldb != 1;
            bool vectorDot = options.Method == GemmMethod.Direct && m <= 4 && aRowsContiguous && bStoredTransposed && options.Isa != GemmIsa.Scalar;
            // Narrow where the shape fits it (mirrors GemmNarrow.Fits), otherwise the Auto choice.
            bool narrowRuns = Avx512F.IsSupported && n == k && 16 % n == 0 && !ta && p.Lda == k && p.Ldc == n && m * n >= 16;
            bool chosenByShape = options.Method == GemmMethod.Auto || (options.Method == GemmMethod.Narrow && !narrowRuns);
            if (scalarPacked is not null && !vectorDot && !chosenByShape)
                Assert.True(c.AsSpan().SequenceEqual(scalarPacked), $"{options} {m}x{n}x{k} ta={ta} tb={tb}: differs from the scalar packed bits");
        }
    }

    /// <summary>One test product: op(A) m×k, op(B) k×n, C m×n, each with <c>pad</c> spare columns per row.</summary>
    [Theory]
    [InlineData(1000, 784, 128, true, false)]   // mlp-relu-wide's weight gradient: packed, tiles in column order
    [InlineData(300, 530, 32, true, false)]     // few k steps: row order; edge tiles in both directions
    [InlineData(9, 40, 17, false, false)]       // direct
    [InlineData(3, 40, 17, false, true)]        // dot products (direct A·Bᵀ of a few rows)
    [InlineData(64, 2, 2, false, false)]        // the narrow kernel
    [InlineData(2, 2, 1000, true, false)]       // the narrow weight gradient
    public void AProductThatProvesItsCFiniteGivesTheSameBitsAndTellsTheTruth(int m, int n, int k, bool ta, bool tb)
    {
        foreach (var options in Paths)
            foreach (bool accumulate in new[] { false, true })
            {
                var p = Problem.Create(m, n, k, ta, tb, pad: 0, seed: m + n + k);
                var proved = (float[])p.C.Clone();
                Assert.True(Gemm.Multiply(m, n, k, p.A, p.Lda, ta, p.B, p.Ldb, tb, proved, p.Ldc, accumulate, options, proveFinite: true),
                    $"{options}, accumulate {accumulate}");
                Assert.Equal(p.Run(options, accumulate), proved);
                Assert.False(Gemm.Multiply(m, n, k, p.A, p.Lda, ta, p.B, p.Ldb, tb, p.C.ToArray(), p.Ldc, accumulate, options),
                    "without proveFinite nothing is proved");

                // One NaN in A reaches a whole row of C; 1e20 · 1e20 overflows C[0, 0] alone (the rest of its row and
                // column stay near 1e20, whose sums are finite), so a tile that did not add its sum would go unseen.
                var nan = p with { A = p.A.ToArray() };
                nan.A[nan.A.Length / 2] = float.NaN;
                Assert.False(Gemm.Multiply(m, n, k, nan.A, p.Lda, ta, p.B, p.Ldb, tb, p.C.ToArray(), p.Ldc, accumulate, options, proveFinite: true));
                var huge = p with { A = p.A.ToArray(), B = p.B.ToArray() };
                huge.A[0] = huge.B[0] = 1e20f;
                Assert.False(Gemm.Multiply(m, n, k, huge.A, p.Lda, ta, huge.B, p.Ldb, tb, p.C.ToArray(), p.Ldc, accumulate, options, proveFinite: true));
            }
    }

    [Fact]
    public void FiniteValuesWhoseSumOverflowsAreNotProvedAndDoublesAreNeverProved()
    {
        // C += 0·0 keeps C's finite 3e38s; their sum is infinite, so the product proves nothing.
        var c = new Matrix<float>(40, 64);
        c.Span.Fill(3e38f);
        Assert.False(Gemm.MultiplyProvingFinite(new Matrix<float>(40, 8), false, new Matrix<float>(8, 64), false, c, accumulate: true));
        Assert.All(c.Span.ToArray(), v => Assert.Equal(3e38f, v));
        // An empty sum (k = 0) stores zeros and proves nothing.
        var e = new Matrix<float>(3, 4);
        e.Span.Fill(float.NaN);
        Assert.False(Gemm.MultiplyProvingFinite(new Matrix<float>(3, 0), false, new Matrix<float>(0, 4), false, e, accumulate: false));
        Assert.All(e.Span.ToArray(), v => Assert.Equal(0f, v));
        var d = new Matrix<double>(2, 2);
        Assert.False(Gemm.MultiplyProvingFinite(Matrix<double>.FromRows([1, 2], [3, 4]), false, Matrix<double>.FromRows([1, 0], [0, 1]), false, d, false));
        Assert.Equal(new double[] { 1, 2, 3, 4 }, d.Span.ToArray());
    }

    private sealed record Problem(int M, int N, int K, bool Ta, bool Tb, float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc)
    {
        public static Problem Create(int m, int n, int k, bool ta, bool tb, int pad, int seed)
        {
            var rng = new Random(seed);
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            float[] Fill(int rows, int ld) => Enumerable.Range(0, rows * ld).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            // The last row is stored without its padding, so a kernel reading past the matrix would fault or show.
            float[] Trim(float[] x, int rows, int cols, int ld) => x.AsSpan(0, rows == 0 ? 0 : (rows - 1) * ld + cols).ToArray();
            int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
            return new Problem(m, n, k, ta, tb,
                Trim(Fill(aRows, lda), aRows, aCols, lda), lda,
                Trim(Fill(bRows, ldb), bRows, bCols, ldb), ldb,
                Trim(Fill(m, ldc), m, n, ldc), ldc);
        }

        public float[] Run(GemmOptions options, bool accumulate)
        {
            var c = (float[])C.Clone();
            RunInto(c, options, accumulate);
            return c;
        }

        public void RunInto(float[] c, GemmOptions options, bool accumulate) =>
            Gemm.Multiply(M, N, K, A, Lda, Ta, B, Ldb, Tb, c, Ldc, accumulate, options);

        /// <summary>Float64 C and a per-element error bound.</summary>
        public (double[] Value, double[] Bound) Reference(bool accumulate)
        {
            var value = new double[C.Length];
            var bound = new double[C.Length];
            const double eps = 1.0 / (1 << 24);
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++)
                {
                    double c0 = accumulate ? C[i * Ldc + j] : 0;
                    double sum = c0, magnitude = Math.Abs(c0);
                    for (int p = 0; p < K; p++)
                    {
                        double x = Ta ? A[p * Lda + i] : A[i * Lda + p];
                        double y = Tb ? B[j * Ldb + p] : B[p * Ldb + j];
                        sum += x * y;
                        magnitude += Math.Abs(x * y);
                    }
                    value[i * Ldc + j] = sum;
                    bound[i * Ldc + j] = (K + 2) * eps * magnitude + 1e-30;
                }
            return (value, bound);
        }
    }
}
