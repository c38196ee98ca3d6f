using Nabla.Models;

namespace Nabla.Training;

/// <summary>
/// How many rows a trained model runs at once outside training (<c>nabla evaluate</c> and <c>predict</c>): each layer
/// keeps an output buffer of batch rows × its width, so a wide model given every row at once held gigabytes (a 20 MB
/// model with a million-unit layer: 2.4 GB for 300 rows). Batches hold at most <see cref="BudgetBytes"/> of layer
/// outputs, and at least <see cref="MinRows"/> rows.
/// </summary>
/// <remarks>
/// The matrix product picks its kernel from the shape, and only products of at most 4 rows (a dot-product kernel),
/// or of fewer than 16 values per output column block (a lane-permutation kernel for layers a few units wide), sum in
/// a different order. So any batches of at least 16 rows give each row the same bits as one batch of all rows, which
/// <see cref="Ranges"/> keeps to.
/// </remarks>
public static class InferenceBatch
{
    /// <summary>The most rows at once (as <see cref="Evaluation.Run{T}"/> by default).</summary>
    public const int MaxRows = 1024;

    /// <summary>The fewest rows in a batch (unless there are fewer rows in all): below it a row's bits could depend on its batch.</summary>
    public const int MinRows = 16;

    /// <summary>The most bytes of layer outputs a batch may hold, unless <see cref="MinRows"/> rows need more.</summary>
    public const long BudgetBytes = 64L << 20;

    /// <summary>Rows per batch for <paramref name="architecture"/>'s float32 network: as many as fit <see cref="BudgetBytes"/>, within [<see cref="MinRows"/>, <see cref="MaxRows"/>].</summary>
    public static int Rows(Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        long perRow = sizeof(float) * (architecture.Inputs + architecture.Resolve().Sum(l => (long)l.Output.Size));
        return (int)Math.Clamp(BudgetBytes / Math.Max(1, perRow), MinRows, MaxRows);
    }

    /// <summary>
    /// <paramref name="count"/> rows cut into batches of <paramref name="rows"/> (start, length), except that fewer than
    /// <see cref="MinRows"/> rows left at the end join the last batch, so no batch is shorter unless all rows are.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, or <paramref name="rows"/> is below <see cref="MinRows"/>.</exception>
    public static IEnumerable<(int Start, int Length)> Ranges(int count, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, MinRows);
        for (int start = 0; start < count;)
        {
            int left = count - start;
            int length = left - rows < MinRows ? left : rows;
            yield return (start, length);
            start += length;
        }
    }
}
