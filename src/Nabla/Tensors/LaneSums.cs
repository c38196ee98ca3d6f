using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Tensors;

/// <summary>
/// The order of the batch sums of a layer of 1, 2, 4 or 8 units (its bias gradient in <see cref="RowOps"/>, its
/// weight gradient in <see cref="GemmNarrowGradient"/>): a long batch summed as one chain in ascending rows waits on
/// every addition in turn (seed 000's 1,000 rows took 1.4 µs a sum), so the rows are dealt to the lanes of
/// <see cref="Accumulators"/> vector accumulators and the partial sums added at the end.
/// </summary>
/// <remarks>
/// The order, fixed by the shape alone and the same on every machine (the vectors are <see cref="Vector256{T}"/> on
/// every instruction set, emulated where there is none): the operand's values, read row by row as one run, are cut into
/// vectors of <see cref="Vector256{T}.Count"/> values, a whole number of rows each (the last one zero-padded); the
/// vectors are added into the accumulators in turn (the bias gradient: vector v into accumulator <c>v mod 8</c>; the
/// weight gradient: see <see cref="GemmNarrowGradient"/>); the accumulators are added pairwise,
/// ((0+1)+(2+3))+((4+5)+(6+7)); and each output adds its lanes, one per row of the vector, in ascending row order, to
/// what the output held.
/// </remarks>
internal static class LaneSums
{
    /// <summary>Vector accumulators in flight: enough to hide the latency of an addition (4 cycles, 2 a cycle).</summary>
    public const int Accumulators = 8;

    /// <summary>Adds a power-of-two number of accumulators pairwise, in place: ((0+1)+(2+3))+((4+5)+(6+7)) for eight.</summary>
    public static Vector256<T> Fold<T>(Span<Vector256<T>> accumulators) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int count = accumulators.Length; count > 1; count /= 2)
            for (int i = 0; i < count / 2; i++)
                accumulators[i] = accumulators[2 * i] + accumulators[2 * i + 1];
        return accumulators[0];
    }

    /// <summary>The lanes of column <paramref name="column"/> of <paramref name="width"/>-value rows, in ascending row order.</summary>
    public static T Column<T>(Vector256<T> lanes, int width, int column) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = lanes[column];
        for (int lane = column + width; lane < Vector256<T>.Count; lane += width)
            sum += lanes[lane];
        return sum;
    }
}
