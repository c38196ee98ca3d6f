using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// The per-row work of a two-class softmax on eight rows at a time: sixteen floats are eight
/// (z₀, z₁) pairs, and lane permutations give every lane its row's first and second value, so
/// each lane computes exactly what the scalar loop computes for its row, in the same order.
/// </summary>
/// <remarks>
/// Each function handles whole blocks of eight rows and returns how many rows it did; the callers'
/// scalar loops do the rest. The scalar forms are in <see cref="RowSoftmax"/> and the losses.
/// </remarks>
internal static unsafe class TwoClassRows
{
    /// <summary>Whether the functions below do any rows on this machine.</summary>
    public static bool IsAccelerated => Avx512F.IsSupported;

    private static Vector512<int> First => Vector512.Create(0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14);

    private static Vector512<int> Second => Vector512.Create(1, 1, 3, 3, 5, 5, 7, 7, 9, 9, 11, 11, 13, 13, 15, 15);

    private static Vector512<int> Compact => Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0);

    private static Vector512<int> Expand => Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);

    private static Vector512<float> EvenLanes => Vector512.Create(1f, 0f, 1f, 0f, 1f, 0f, 1f, 0f, 1f, 0f, 1f, 0f, 1f, 0f, 1f, 0f);

    /// <summary>Each row's first value in both of its lanes.</summary>
    public static Vector512<float> FirstOfRow(Vector512<float> v) => Avx512F.PermuteVar16x32(v, First);

    /// <summary>Each row's second value in both of its lanes.</summary>
    public static Vector512<float> SecondOfRow(Vector512<float> v) => Avx512F.PermuteVar16x32(v, Second);

    /// <summary>One value per row (the even lanes) into eight consecutive floats.</summary>
    public static void StoreRows(Vector512<float> v, float* destination) =>
        Avx512F.PermuteVar16x32(v, Compact).GetLower().Store(destination);

    /// <summary><c>m = max(z₀, z₁)</c> (as <c>MaxNative</c>), <c>p = z − m</c>; <paramref name="max"/> gets m per row unless null.</summary>
    public static int SubtractMax(float* z, float* p, float* max, int rows)
    {
        if (!IsAccelerated)
            return 0;
        int r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            var v = Vector512.Load(z + 2 * r);
            var m = Avx512F.Max(FirstOfRow(v), SecondOfRow(v));
            (v - m).Store(p + 2 * r);
            if (max != null)
                StoreRows(m, max + r);
        }
        return r;
    }

    /// <summary><c>s = (0 + p₀) + p₁</c> into both of the row's lanes of <paramref name="denominators"/>, and per row into <paramref name="sums"/> unless null.</summary>
    public static int PairSums(float* p, float* denominators, float* sums, int rows)
    {
        if (!IsAccelerated)
            return 0;
        int r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            var v = Vector512.Load(p + 2 * r);
            var s = Vector512<float>.Zero + FirstOfRow(v) + SecondOfRow(v);
            s.Store(denominators + 2 * r);
            if (sums != null)
                StoreRows(s, sums + r);
        }
        return r;
    }

    /// <summary>
    /// Seed 000's loss on eight rows at a time (the scalar loop is in <c>MseCrossEntropy</c>):
    /// with <c>d = p − y</c>, <c>dp = (0 + d₀p₀) + d₁p₁</c>, <c>ySum = (0 + y₀) + y₁</c>, writes the MSE
    /// gradient term <c>(c·p)·(d − dp)</c> to <paramref name="mse"/> and the cross-entropy numerator
    /// <c>p·ySum − y</c> over <paramref name="p"/> (which holds the probabilities), both element by
    /// element as the scalar loop does. The sums of <c>d²</c> and of each row's
    /// <c>ySum·logSum − ((0 + y₀z₀) + y₁z₁)</c> are taken in sixteen lanes, so they differ from the
    /// scalar loop's running sums in the last bits.
    /// </summary>
    public static int MseCrossEntropy(float* p, float* y, float* z, float* logSum, float twoOverNk,
        float* mse, int rows, out float squares, out float crossEntropy)
    {
        squares = crossEntropy = 0f;
        if (!IsAccelerated)
            return 0;
        var c = Vector512.Create(twoOverNk);
        Vector512<float> squaresSum = Vector512<float>.Zero, crossEntropySum = Vector512<float>.Zero;
        int r = 0;
        for (; r + 8 <= rows; r += 8)
        {
            int at = 2 * r;
            Vector512<float> pv = Vector512.Load(p + at), yv = Vector512.Load(y + at), zv = Vector512.Load(z + at);
            var d = pv - yv;
            squaresSum += d * d;
            var e = d * pv;
            var dp = Vector512<float>.Zero + FirstOfRow(e) + SecondOfRow(e);
            var ySum = Vector512<float>.Zero + FirstOfRow(yv) + SecondOfRow(yv);
            var yz = yv * zv;
            var yzSum = Vector512<float>.Zero + FirstOfRow(yz) + SecondOfRow(yz);
            var logSums = Avx512F.PermuteVar16x32(Vector512.Create(Vector256.Load(logSum + r), Vector256<float>.Zero), Expand);
            crossEntropySum += (ySum * logSums - yzSum) * EvenLanes;
            (c * pv * (d - dp)).Store(mse + at);
            (pv * ySum - yv).Store(p + at);
        }
        squares = Vector512.Sum(squaresSum);
        crossEntropy = Vector512.Sum(crossEntropySum);
        return r;
    }
}
