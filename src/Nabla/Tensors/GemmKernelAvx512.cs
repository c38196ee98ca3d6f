using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// AVX-512 kernels: 8×32 packed micro-tile (16 <see cref="Vector512{T}"/> accumulators), direct
/// tiles of up to 8×32 read in place, and 4×4 dot-product tiles for <c>A·Bᵀ</c>.
/// </summary>
/// <remarks>
/// Hot loops are call-free on purpose: Linux x64 has no callee-saved vector registers, so any call
/// inside them makes the JIT spill every accumulator (measured 3–4× slower).
/// </remarks>
internal readonly unsafe struct Avx512Kernel : IGemmKernel
{
    public static int MR => 8;
    public static int NR => 32;
    public static int DirectRows => 8;
    public static int DotRows => 4;
    public static int DotCols => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Packed(int kc, float* a, float* b, float* c, nint ldc, bool load, float* sum)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (load)
        {
            c00 = Vector512.Load(c + 0 * ldc); c01 = Vector512.Load(c + 0 * ldc + 16);
            c10 = Vector512.Load(c + 1 * ldc); c11 = Vector512.Load(c + 1 * ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + 16);
            c40 = Vector512.Load(c + 4 * ldc); c41 = Vector512.Load(c + 4 * ldc + 16);
            c50 = Vector512.Load(c + 5 * ldc); c51 = Vector512.Load(c + 5 * ldc + 16);
            c60 = Vector512.Load(c + 6 * ldc); c61 = Vector512.Load(c + 6 * ldc + 16);
            c70 = Vector512.Load(c + 7 * ldc); c71 = Vector512.Load(c + 7 * ldc + 16);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c60 = c61 = c70 = c71 = Vector512<float>.Zero;
        }
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), x;
            x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            a += 8;
            b += 32;
        }
        Vector512.Store(c00, c + 0 * ldc); Vector512.Store(c01, c + 0 * ldc + 16);
        Vector512.Store(c10, c + 1 * ldc); Vector512.Store(c11, c + 1 * ldc + 16);
        Vector512.Store(c20, c + 2 * ldc); Vector512.Store(c21, c + 2 * ldc + 16);
        Vector512.Store(c30, c + 3 * ldc); Vector512.Store(c31, c + 3 * ldc + 16);
        Vector512.Store(c40, c + 4 * ldc); Vector512.Store(c41, c + 4 * ldc + 16);
        Vector512.Store(c50, c + 5 * ldc); Vector512.Store(c51, c + 5 * ldc + 16);
        Vector512.Store(c60, c + 6 * ldc); Vector512.Store(c61, c + 6 * ldc + 16);
        Vector512.Store(c70, c + 7 * ldc); Vector512.Store(c71, c + 7 * ldc + 16);
        if (sum != null)
            *sum += Vector512.Sum(((c00 + c01) + (c10 + c11)) + ((c20 + c21) + (c30 + c31)) + ((c40 + c41) + (c50 + c51)) + ((c60 + c61) + (c70 + c71)));
    }

    public static void Direct(int rows, int cols, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, bool load)
    {
        if (cols == 32)
        {
            switch (rows)
            {
                case 1: Direct<C1, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 2: Direct<C2, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 3: Direct<C3, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 4: Direct<C4, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 5: Direct<C5, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 6: Direct<C6, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 7: Direct<C7, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
                case 8: Direct<C8, C0>(k, a, rsA, csA, b, ldb, c, ldc, load, default, default); return;
            }
            return;
        }
        Vector512<int> lane = Vector512<int>.Indices;
        Vector512<float> m0 = Vector512.LessThan(lane, Vector512.Create(cols)).AsSingle();
        Vector512<float> m1 = Vector512.LessThan(lane, Vector512.Create(cols - 16)).AsSingle();
        // Narrow C (a 10-class output layer): one vector per row wastes half as many lanes.
        bool narrow = cols <= 16;
        switch (rows)
        {
            case 1: if (narrow) Direct<C1, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C1, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 2: if (narrow) Direct<C2, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C2, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 3: if (narrow) Direct<C3, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C3, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 4: if (narrow) Direct<C4, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C4, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 5: if (narrow) Direct<C5, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C5, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 6: if (narrow) Direct<C6, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C6, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 7: if (narrow) Direct<C7, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C7, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
            case 8: if (narrow) Direct<C8, C2>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); else Direct<C8, C1>(k, a, rsA, csA, b, ldb, c, ldc, load, m0, m1); return;
        }
    }

    /// <summary>Loads 16 floats, or only the lanes set in <paramref name="mask"/> when <typeparamref name="TM"/> is not 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Load<TM>(float* p, Vector512<float> mask) where TM : struct, IConst =>
        TM.Value == 0 ? Vector512.Load(p) : Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TM>(float* p, Vector512<float> mask, Vector512<float> v) where TM : struct, IConst
    {
        if (TM.Value == 0)
            Vector512.Store(v, p);
        else
            Avx512F.MaskStore(p, mask, v);
    }

    /// <summary>TR rows; TM 0: all 32 columns, 1: masked, 2: masked and at most 16 columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Direct<TR, TM>(int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, bool load,
        Vector512<float> m0, Vector512<float> m1)
        where TR : struct, IConst where TM : struct, IConst
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        if (load)
        {
            { c00 = Load<TM>(c + 0 * ldc, m0); if (TM.Value < 2) c01 = Load<TM>(c + 0 * ldc + 16, m1); }
            if (TR.Value > 1) { c10 = Load<TM>(c + 1 * ldc, m0); if (TM.Value < 2) c11 = Load<TM>(c + 1 * ldc + 16, m1); }
            if (TR.Value > 2) { c20 = Load<TM>(c + 2 * ldc, m0); if (TM.Value < 2) c21 = Load<TM>(c + 2 * ldc + 16, m1); }
            if (TR.Value > 3) { c30 = Load<TM>(c + 3 * ldc, m0); if (TM.Value < 2) c31 = Load<TM>(c + 3 * ldc + 16, m1); }
            if (TR.Value > 4) { c40 = Load<TM>(c + 4 * ldc, m0); if (TM.Value < 2) c41 = Load<TM>(c + 4 * ldc + 16, m1); }
            if (TR.Value > 5) { c50 = Load<TM>(c + 5 * ldc, m0); if (TM.Value < 2) c51 = Load<TM>(c + 5 * ldc + 16, m1); }
            if (TR.Value > 6) { c60 = Load<TM>(c + 6 * ldc, m0); if (TM.Value < 2) c61 = Load<TM>(c + 6 * ldc + 16, m1); }
            if (TR.Value > 7) { c70 = Load<TM>(c + 7 * ldc, m0); if (TM.Value < 2) c71 = Load<TM>(c + 7 * ldc + 16, m1); }
        }
        nint r2 = rsA * 2, r3 = rsA * 3, r4 = rsA * 4, r5 = rsA * 5, r6 = rsA * 6, r7 = rsA * 7;
        for (int p = 0; p < k; p++)
        {
            Vector512<float> b0 = Load<TM>(b, m0), b1 = TM.Value < 2 ? Load<TM>(b + 16, m1) : default, x;
            { x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); if (TM.Value < 2) c01 = Vector512.FusedMultiplyAdd(x, b1, c01); }
            if (TR.Value > 1) { x = Vector512.Create(a[rsA]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); if (TM.Value < 2) c11 = Vector512.FusedMultiplyAdd(x, b1, c11); }
            if (TR.Value > 2) { x = Vector512.Create(a[r2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); if (TM.Value < 2) c21 = Vector512.FusedMultiplyAdd(x, b1, c21); }
            if (TR.Value > 3) { x = Vector512.Create(a[r3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); if (TM.Value < 2) c31 = Vector512.FusedMultiplyAdd(x, b1, c31); }
            if (TR.Value > 4) { x = Vector512.Create(a[r4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); if (TM.Value < 2) c41 = Vector512.FusedMultiplyAdd(x, b1, c41); }
            if (TR.Value > 5) { x = Vector512.Create(a[r5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); if (TM.Value < 2) c51 = Vector512.FusedMultiplyAdd(x, b1, c51); }
            if (TR.Value > 6) { x = Vector512.Create(a[r6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); if (TM.Value < 2) c61 = Vector512.FusedMultiplyAdd(x, b1, c61); }
            if (TR.Value > 7) { x = Vector512.Create(a[r7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); if (TM.Value < 2) c71 = Vector512.FusedMultiplyAdd(x, b1, c71); }
            a += csA;
            b += ldb;
        }
        { Store<TM>(c + 0 * ldc, m0, c00); if (TM.Value < 2) Store<TM>(c + 0 * ldc + 16, m1, c01); }
        if (TR.Value > 1) { Store<TM>(c + 1 * ldc, m0, c10); if (TM.Value < 2) Store<TM>(c + 1 * ldc + 16, m1, c11); }
        if (TR.Value > 2) { Store<TM>(c + 2 * ldc, m0, c20); if (TM.Value < 2) Store<TM>(c + 2 * ldc + 16, m1, c21); }
        if (TR.Value > 3) { Store<TM>(c + 3 * ldc, m0, c30); if (TM.Value < 2) Store<TM>(c + 3 * ldc + 16, m1, c31); }
        if (TR.Value > 4) { Store<TM>(c + 4 * ldc, m0, c40); if (TM.Value < 2) Store<TM>(c + 4 * ldc + 16, m1, c41); }
        if (TR.Value > 5) { Store<TM>(c + 5 * ldc, m0, c50); if (TM.Value < 2) Store<TM>(c + 5 * ldc + 16, m1, c51); }
        if (TR.Value > 6) { Store<TM>(c + 6 * ldc, m0, c60); if (TM.Value < 2) Store<TM>(c + 6 * ldc + 16, m1, c61); }
        if (TR.Value > 7) { Store<TM>(c + 7 * ldc, m0, c70); if (TM.Value < 2) Store<TM>(c + 7 * ldc + 16, m1, c71); }
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
            case 25: Dot<C3, C1>(k, a, lda, b, ldb, c, ldc, load); return;
            case 26: Dot<C3, C2>(k, a, lda, b, ldb, c, ldc, load); return;
            case 27: Dot<C3, C3>(k, a, lda, b, ldb, c, ldc, load); return;
            case 28: Dot<C3, C4>(k, a, lda, b, ldb, c, ldc, load); return;
            case 33: Dot<C4, C1>(k, a, lda, b, ldb, c, ldc, load); return;
            case 34: Dot<C4, C2>(k, a, lda, b, ldb, c, ldc, load); return;
            case 35: Dot<C4, C3>(k, a, lda, b, ldb, c, ldc, load); return;
            case 36: Dot<C4, C4>(k, a, lda, b, ldb, c, ldc, load); return;
        }
    }

    /// <summary>
    /// Full 16-lane steps read A and B in place; the k remainder is copied, zero-padded, into a
    /// scratch block and run through the same loop body once more, so the body exists only once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot<TR, TC>(int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool load)
        where TR : struct, IConst where TC : struct, IConst
    {
        float* scratch = stackalloc float[8 * 16];
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int steps = k / 16;
        bool tail = false;
        while (true)
        {
            for (int s = 0; s < steps; s++)
            {
                Vector512<float> a0 = Vector512.Load(a), a1 = default, a2 = default, a3 = default, y;
                if (TR.Value > 1) a1 = Vector512.Load(a + 1 * lda);
                if (TR.Value > 2) a2 = Vector512.Load(a + 2 * lda);
                if (TR.Value > 3) a3 = Vector512.Load(a + 3 * lda);
                { y = Vector512.Load(b + 0 * ldb); s00 = Vector512.FusedMultiplyAdd(a0, y, s00); if (TR.Value > 1) s10 = Vector512.FusedMultiplyAdd(a1, y, s10); if (TR.Value > 2) s20 = Vector512.FusedMultiplyAdd(a2, y, s20); if (TR.Value > 3) s30 = Vector512.FusedMultiplyAdd(a3, y, s30); }
                if (TC.Value > 1) { y = Vector512.Load(b + 1 * ldb); s01 = Vector512.FusedMultiplyAdd(a0, y, s01); if (TR.Value > 1) s11 = Vector512.FusedMultiplyAdd(a1, y, s11); if (TR.Value > 2) s21 = Vector512.FusedMultiplyAdd(a2, y, s21); if (TR.Value > 3) s31 = Vector512.FusedMultiplyAdd(a3, y, s31); }
                if (TC.Value > 2) { y = Vector512.Load(b + 2 * ldb); s02 = Vector512.FusedMultiplyAdd(a0, y, s02); if (TR.Value > 1) s12 = Vector512.FusedMultiplyAdd(a1, y, s12); if (TR.Value > 2) s22 = Vector512.FusedMultiplyAdd(a2, y, s22); if (TR.Value > 3) s32 = Vector512.FusedMultiplyAdd(a3, y, s32); }
                if (TC.Value > 3) { y = Vector512.Load(b + 3 * ldb); s03 = Vector512.FusedMultiplyAdd(a0, y, s03); if (TR.Value > 1) s13 = Vector512.FusedMultiplyAdd(a1, y, s13); if (TR.Value > 2) s23 = Vector512.FusedMultiplyAdd(a2, y, s23); if (TR.Value > 3) s33 = Vector512.FusedMultiplyAdd(a3, y, s33); }
                a += 16;
                b += 16;
            }
            int rest = k - steps * 16;
            if (tail || rest == 0)
                break;
            // Rows 0..3 of the scratch block hold A's remainders, rows 4..7 B's, each zero-padded
            // to 16; plain loops rather than Span.Clear so no call sits near the live accumulators.
            for (int q = 0; q < 8 * 16; q++)
                scratch[q] = 0f;
            for (int i = 0; i < TR.Value; i++)
                for (int p = 0; p < rest; p++)
                    scratch[i * 16 + p] = a[i * lda + p];
            for (int j = 0; j < TC.Value; j++)
                for (int p = 0; p < rest; p++)
                    scratch[(4 + j) * 16 + p] = b[j * ldb + p];
            a = scratch;
            b = scratch + 4 * 16;
            lda = ldb = 16;
            steps = 1;
            tail = true;
        }
        c[0 * ldc + 0] = (load ? c[0 * ldc + 0] : 0f) + Vector512.Sum(s00);
        if (TC.Value > 1) c[0 * ldc + 1] = (load ? c[0 * ldc + 1] : 0f) + Vector512.Sum(s01);
        if (TC.Value > 2) c[0 * ldc + 2] = (load ? c[0 * ldc + 2] : 0f) + Vector512.Sum(s02);
        if (TC.Value > 3) c[0 * ldc + 3] = (load ? c[0 * ldc + 3] : 0f) + Vector512.Sum(s03);
        if (TR.Value > 1) c[1 * ldc + 0] = (load ? c[1 * ldc + 0] : 0f) + Vector512.Sum(s10);
        if (TR.Value > 1 && TC.Value > 1) c[1 * ldc + 1] = (load ? c[1 * ldc + 1] : 0f) + Vector512.Sum(s11);
        if (TR.Value > 1 && TC.Value > 2) c[1 * ldc + 2] = (load ? c[1 * ldc + 2] : 0f) + Vector512.Sum(s12);
        if (TR.Value > 1 && TC.Value > 3) c[1 * ldc + 3] = (load ? c[1 * ldc + 3] : 0f) + Vector512.Sum(s13);
        if (TR.Value > 2) c[2 * ldc + 0] = (load ? c[2 * ldc + 0] : 0f) + Vector512.Sum(s20);
        if (TR.Value > 2 && TC.Value > 1) c[2 * ldc + 1] = (load ? c[2 * ldc + 1] : 0f) + Vector512.Sum(s21);
        if (TR.Value > 2 && TC.Value > 2) c[2 * ldc + 2] = (load ? c[2 * ldc + 2] : 0f) + Vector512.Sum(s22);
        if (TR.Value > 2 && TC.Value > 3) c[2 * ldc + 3] = (load ? c[2 * ldc + 3] : 0f) + Vector512.Sum(s23);
        if (TR.Value > 3) c[3 * ldc + 0] = (load ? c[3 * ldc + 0] : 0f) + Vector512.Sum(s30);
        if (TR.Value > 3 && TC.Value > 1) c[3 * ldc + 1] = (load ? c[3 * ldc + 1] : 0f) + Vector512.Sum(s31);
        if (TR.Value > 3 && TC.Value > 2) c[3 * ldc + 2] = (load ? c[3 * ldc + 2] : 0f) + Vector512.Sum(s32);
        if (TR.Value > 3 && TC.Value > 3) c[3 * ldc + 3] = (load ? c[3 * ldc + 3] : 0f) + Vector512.Sum(s33);
    }
}
