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

    private static Vector512<int> EvenOfBoth => Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    private static Vector512<int> ExpandUpper => Vector512.Create(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);

    /// <summary>
    /// The softmax of sixteen rows at a time, as <see cref="RowSoftmax"/>'s loops compute it: <c>m = max(z₀, z₁)</c>
    /// (as <c>MaxNative</c>), <c>e = exp(z − m)</c>, <c>s = (0 + e₀) + e₁</c>, <c>p = e / s</c>; m and s per row into
    /// <paramref name="max"/> and <paramref name="sums"/> unless null. Without a NaN one of each row's two differences
    /// is 0, whose exponential is a constant (the vector exponential's, 1.0000001, not 1), so one exponential of the
    /// sixteen rows' other differences replaces two of both.
    /// </summary>
    public static int Softmax(float* z, float* p, float* max, float* sums, int rows)
    {
        if (!IsAccelerated)
            return 0;
        var expZero = Vector512.Exp(Vector512<float>.Zero);
        int r = 0;
        for (; r + 16 <= rows; r += 16)
        {
            int at = 2 * r;
            Vector512<float> z0 = Vector512.Load(z + at), z1 = Vector512.Load(z + at + 16);
            Vector512<float> m0 = Avx512F.Max(FirstOfRow(z0), SecondOfRow(z0)), m1 = Avx512F.Max(FirstOfRow(z1), SecondOfRow(z1));
            Vector512<float> d0 = z0 - m0, d1 = z1 - m1, e0, e1;
            if (Vector512.EqualsAll(d0, d0) && Vector512.EqualsAll(d1, d1))
            {
                var other = Avx512F.PermuteVar16x32x2(Avx512F.Min(FirstOfRow(d0), SecondOfRow(d0)), EvenOfBoth, Avx512F.Min(FirstOfRow(d1), SecondOfRow(d1)));
                var e = Vector512.Exp(other);
                e0 = Vector512.ConditionalSelect(Vector512.Equals(d0, Vector512<float>.Zero), expZero, Avx512F.PermuteVar16x32(e, Expand));
                e1 = Vector512.ConditionalSelect(Vector512.Equals(d1, Vector512<float>.Zero), expZero, Avx512F.PermuteVar16x32(e, ExpandUpper));
            }
            else
            {
                e0 = Vector512.Exp(d0);
                e1 = Vector512.Exp(d1);
            }
            Vector512<float> s0 = Vector512<float>.Zero + FirstOfRow(e0) + SecondOfRow(e0), s1 = Vector512<float>.Zero + FirstOfRow(e1) + SecondOfRow(e1);
            (e0 / s0).Store(p + at);
            (e1 / s1).Store(p + at + 16);
            if (max != null)
            {
                StoreRows(m0, max + r);
                StoreRows(m1, max + r + 8);
            }
            if (sums != null)
            {
                StoreRows(s0, sums + r);
                StoreRows(s1, sums + r + 8);
            }
        }
        return r;
    }

    /// <summary>
    /// Seed 000's loss on eight rows at a time (the scalar loop is in <c>MseCrossEntropy</c>):
    /// with <c>d = p − y</c>, <c>dp = (0 + d₀p₀) + d₁p₁</c>, <c>ySum = (0 + y₀) + y₁</c>, writes the gradient
    /// <c>(p·ySum − y)/n + (c·p)·(d − dp)</c> (the cross-entropy numerator over n plus the MSE term) over
    /// <paramref name="p"/> (which holds the probabilities), element by element as the scalar loop and the loss's two
    /// vector passes do. The sums of <c>d²</c> and of each row's <c>ySum·logSum − ((0 + y₀z₀) + y₁z₁)</c> are taken in
    /// sixteen lanes, so they differ from the scalar loop's running sums in the last bits.
    /// </summary>
    public static int MseCrossEntropy(float* p, float* y, float* z, float* logSum, float twoOverNk, float n,
        int rows, out float squares, out float crossEntropy)
    {
        squares = crossEntropy = 0f;
        if (!IsAccelerated)
            return 0;
        Vector512<float> c = Vector512.Create(twoOverNk), count = Vector512.Create(n);
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
            ((pv * ySum - yv) / count + c * pv * (d - dp)).Store(p + at);
        }
        squares = Vector512.Sum(squaresSum);
        crossEntropy = Vector512.Sum(crossEntropySum);
        return r;
    }
}
