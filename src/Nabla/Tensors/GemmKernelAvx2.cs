using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// AVX2 + FMA kernels: 6×16 packed micro-tile (12 <see cref="Vector256{T}"/> accumulators), direct
/// tiles of up to 6×16 read in place, and 2×4 dot-product tiles for <c>A·Bᵀ</c>.
/// </summary>
/// <remarks>
/// Hot loops are call-free on purpose: Linux x64 has no callee-saved vector registers, so any call
/// inside them makes the JIT spill every accumulator (measured 3–4× slower).
/// </remarks>
internal readonly unsafe struct Avx2Kernel : IGemmKernel
{
    public static int MR => 6;
    public static int NR => 16;
    public static int DirectRows => 6;
    public static int DotRows => 2;
    public static int DotCols => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Packed(int kc, float* a, float* b, float* c, nint ldc, bool load, float* sum)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load)
        {
            c00 = Vector256.Load(c + 0 * ldc); c01 = Vector256.Load(c + 0 * ldc + 8);
            c10 = Vector256.Load(c + 1 * ldc); c11 = Vector256.Load(c + 1 * ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + 8);
            c40 = Vector256.Load(c + 4 * ldc); c41 = Vector256.Load(c + 4 * ldc + 8);
            c50 = Vector256.Load(c + 5 * ldc); c51 = Vector256.Load(c + 5 * ldc + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = Vector256<float>.Zero;
        }
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), x;
            x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += 16;
        }
        Vector256.Store(c00, c + 0 * ldc); Vector256.Store(c01, c + 0 * ldc + 8);
        Vector256.Store(c10, c + 1 * ldc); Vector256.Store(c11, c + 1 * ldc + 8);
        Vector256.Store(c20, c + 2 * ldc); Vector256.Store(c21, c + 2 * ldc + 8);
        Vector256.Store(c30, c + 3 * ldc); Vector256.Store(c31, c + 3 * ldc + 8);
        Vector256.Store(c40, c + 4 * ldc); Vector256.Store(c41, c + 4 * ldc + 8);
        Vector256.Store(c50, c + 5 * ldc); Vector256.Store(c51, c + 5 * ldc + 8);
        if (sum != null)
            *sum += Vector256.Sum(((c00 + c01) + (c10 + c11)) + ((c20 + c21) + (c30 + c31)) + ((c40 + c41) + (c50 + c51)));
    }

    public static void Direct(int rows, int cols, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, bool load)
    {
        if (cols == 16)
        {
            switch (rows)
            {
                case 1: Direct<C1, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 2: Direct<C2, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 3: Direct<C3, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 4: Direct<C4, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 5: Direct<C5, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 6: Direct<C6, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
            }
            return;
        }
        Vector256<int> lane = Vector256<int>.Indices;
        Vector256<float> m0 = Vector256.LessThan(lane, Vector256.Create(cols)).AsSingle();
        Vector256<float> m1 = Vector256.LessThan(lane, Vector256.Create(cols - 8)).AsSingle();
        // Narrow C (a 10-class output layer): one vector per row wastes half as many lanes.
        bool narrow = cols <= 8;
        switch (rows)
        {
            case 1: if (narrow) Direct<C1, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C1, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 2: if (narrow) Direct<C2, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C2, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 3: if (narrow) Direct<C3, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C3, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 4: if (narrow) Direct<C4, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C4, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 5: if (narrow) Direct<C5, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C5, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 6: if (narrow) Direct<C6, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C6, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
        }
    }

    /// <summary>Loads 8 floats, or only the lanes set in <paramref name="mask"/> when <typeparamref name="TM"/> is not 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load<TM>(float* p, Vector256<float> mask) where TM : struct, IConst =>
        TM.Value == 0 ? Vector256.Load(p) : Avx.MaskLoad(p, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TM>(float* p, Vector256<float> mask, Vector256<float> v) where TM : struct, IConst
    {
        if (TM.Value == 0)
            Vector256.Store(v, p);
        else
            Avx.MaskStore(p, mask, v);
    }

    /// <summary>TR rows; TM 0: all 16 columns, 1: masked, 2: masked and at most 8 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Direct<TR, TM>(int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, bool load,
        Vector256<float> m0, Vector256<float> m1)
        where TR : struct, IConst where TM : struct, IConst
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (load)
        {
            { c00 = Load<TM>(c + 0 * ldc, m0); if (TM.Value < 2) c01 = Load<TM>(c + 0 * ldc + 8, m1); }
            if (TR.Value > 1) { c10 = Load<TM>(c + 1 * ldc, m0); if (TM.Value < 2) c11 = Load<TM>(c + 1 * ldc + 8, m1); }
            if (TR.Value > 2) { c20 = Load<TM>(c + 2 * ldc, m0); if (TM.Value < 2) c21 = Load<TM>(c + 2 * ldc + 8, m1); }
            if (TR.Value > 3) { c30 = Load<TM>(c + 3 * ldc, m0); if (TM.Value < 2) c31 = Load<TM>(c + 3 * ldc + 8, m1); }
            if (TR.Value > 4) { c40 = Load<TM>(c + 4 * ldc, m0); if (TM.Value < 2) c41 = Load<TM>(c + 4 * ldc + 8, m1); }
            if (TR.Value > 5) { c50 = Load<TM>(c + 5 * ldc, m0); if (TM.Value < 2) c51 = Load<TM>(c + 5 * ldc + 8, m1); }
        }
        nint r2 = rsA * 2, r3 = rsA * 3, r4 = rsA * 4, r5 = rsA * 5;
        for (int p = 0; p < k; p++)
        {
            Vector256<float> b0 = Load<TM>(b, m0), b1 = TM.Value < 2 ? Load<TM>(b + 8, m1) : default, x;
            { x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); if (TM.Value < 2) c01 = Vector256.FusedMultiplyAdd(x, b1, c01); }
            if (TR.Value > 1) { x = Vector256.Create(a[rsA]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); if (TM.Value < 2) c11 = Vector256.FusedMultiplyAdd(x, b1, c11); }
            if (TR.Value > 2) { x = Vector256.Create(a[r2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); if (TM.Value < 2) c21 = Vector256.FusedMultiplyAdd(x, b1, c21); }
            if (TR.Value > 3) { x = Vector256.Create(a[r3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); if (TM.Value < 2) c31 = Vector256.FusedMultiplyAdd(x, b1, c31); }
            if (TR.Value > 4) { x = Vector256.Create(a[r4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); if (TM.Value < 2) c41 = Vector256.FusedMultiplyAdd(x, b1, c41); }
            if (TR.Value > 5) { x = Vector256.Create(a[r5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); if (TM.Value < 2) c51 = Vector256.FusedMultiplyAdd(x, b1, c51); }
            a += csA;
            b += ldb;
        }
        { Store<TM>(c + 0 * ldc, m0, c00); if (TM.Value < 2) Store<TM>(c + 0 * ldc + 8, m1, c01); }
        if (TR.Value > 1) { Store<TM>(c + 1 * ldc, m0, c10); if (TM.Value < 2) Store<TM>(c + 1 * ldc + 8, m1, c11); }
        if (TR.Value > 2) { Store<TM>(c + 2 * ldc, m0, c20); if (TM.Value < 2) Store<TM>(c + 2 * ldc + 8, m1, c21); }
        if (TR.Value > 3) { Store<TM>(c + 3 * ldc, m0, c30); if (TM.Value < 2) Store<TM>(c + 3 * ldc + 8, m1, c31); }
        if (TR.Value > 4) { Store<TM>(c + 4 * ldc, m0, c40); if (TM.Value < 2) Store<TM>(c + 4 * ldc + 8, m1, c41); }
        if (TR.Value > 5) { Store<TM>(c + 5 * ldc, m0, c50); if (TM.Value < 2) Store<TM>(c + 5 * ldc + 8, m1, c51); }
    }

    public static void Dot(int rows, int cols, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool load)
    {
        switch (rows * 8 + cols)
        {
            case 9: Dot<C1, C1>(k, a, lda, b, ldb, c, ldc, load); return;
            case 10: Dot<C1, C2>(k, a, lda, b, ldb, c, ldc, load); return;
            case 11: Dot<C1, C3>(k, a, lda, b, ldb, c, ldc, load); return;
            case 12: Dot<C1, C4>(k, a, lda, b, ldb, c, ldc, load); return;
            case 17: Dot<C2, C1>(k, a, lda, b, ldb, c, ldc, load); return;
            case 18: Dot<C2, C2>(k, a, lda, b, ldb, c, ldc, load); return;
            case 19: Dot<C2, C3>(k, a, lda, b, ldb, c, ldc, load); return;
            case 20: Dot<C2, C4>(k, a, lda, b, ldb, c, ldc, load); return;
        }
    }

    /// <summary>
    /// Full 8-lane steps read A and B in place; the k remainder is copied, zero-padded, into a
    /// scratch block and run through the same loop body once more, so the body exists only once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot<TR, TC>(int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool load)
        where TR : struct, IConst where TC : struct, IConst
    {
        float* scratch = stackalloc float[6 * 8];
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        int steps = k / 8;
        bool tail = false;
        while (true)
        {
            for (int s = 0; s < steps; s++)
            {
                Vector256<float> a0 = Vector256.Load(a), a1 = default, y;
                if (TR.Value > 1) a1 = Vector256.Load(a + 1 * lda);
                { y = Vector256.Load(b + 0 * ldb); s00 = Vector256.FusedMultiplyAdd(a0, y, s00); if (TR.Value > 1) s10 = Vector256.FusedMultiplyAdd(a1, y, s10); }
                if (TC.Value > 1) { y = Vector256.Load(b + 1 * ldb); s01 = Vector256.FusedMultiplyAdd(a0, y, s01); if (TR.Value > 1) s11 = Vector256.FusedMultiplyAdd(a1, y, s11); }
                if (TC.Value > 2) { y = Vector256.Load(b + 2 * ldb); s02 = Vector256.FusedMultiplyAdd(a0, y, s02); if (TR.Value > 1) s12 = Vector256.FusedMultiplyAdd(a1, y, s12); }
                if (TC.Value > 3) { y = Vector256.Load(b + 3 * ldb); s03 = Vector256.FusedMultiplyAdd(a0, y, s03); if (TR.Value > 1) s13 = Vector256.FusedMultiplyAdd(a1, y, s13); }
                a += 8;
                b += 8;
            }
            int rest = k - steps * 8;
            if (tail || rest == 0)
                break;
            // Rows 0..1 of the scratch block hold A's remainders, rows 2..5 B's, each zero-padded
            // to 8; plain loops rather than Span.Clear so no call sits near the live accumulators.
            for (int q = 0; q < 6 * 8; q++)
                scratch[q] = 0f;
            for (int i = 0; i < TR.Value; i++)
                for (int p = 0; p < rest; p++)
                    scratch[i * 8 + p] = a[i * lda + p];
            for (int j = 0; j < TC.Value; j++)
                for (int p = 0; p < rest; p++)
                    scratch[(2 + j) * 8 + p] = b[j * ldb + p];
            a = scratch;
            b = scratch + 2 * 8;
            lda = ldb = 8;
            steps = 1;
            tail = true;
        }
        c[0 * ldc + 0] = (load ? c[0 * ldc + 0] : 0f) + Vector256.Sum(s00);
        if (TC.Value > 1) c[0 * ldc + 1] = (load ? c[0 * ldc + 1] : 0f) + Vector256.Sum(s01);
        if (TC.Value > 2) c[0 * ldc + 2] = (load ? c[0 * ldc + 2] : 0f) + Vector256.Sum(s02);
        if (TC.Value > 3) c[0 * ldc + 3] = (load ? c[0 * ldc + 3] : 0f) + Vector256.Sum(s03);
        if (TR.Value > 1) c[1 * ldc + 0] = (load ? c[1 * ldc + 0] : 0f) + Vector256.Sum(s10);
        if (TR.Value > 1 && TC.Value > 1) c[1 * ldc + 1] = (load ? c[1 * ldc + 1] : 0f) + Vector256.Sum(s11);
        if (TR.Value > 1 && TC.Value > 2) c[1 * ldc + 2] = (load ? c[1 * ldc + 2] : 0f) + Vector256.Sum(s12);
        if (TR.Value > 1 && TC.Value > 3) c[1 * ldc + 3] = (load ? c[1 * ldc + 3] : 0f) + Vector256.Sum(s13);
    }
}
