using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

/// <summary>
/// Softmax along each row, <c>p_j = e^(z_j − max z) / Σ_k e^(z_k − max z)</c>, and its backward pass.
/// Subtracting the row maximum keeps every exponent ≤ 0, so nothing overflows
/// (<see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/> does not do this).
/// </summary>
/// <remarks>
/// The exponentials of the whole batch are taken in one vectorised pass, so narrow rows (two or
/// ten classes) do not pay a call per row; the per-row sums and maxima run as plain loops below
/// <see cref="RowOps.ScalarBelow"/> columns.
/// </remarks>
public static class RowSoftmax
{
    /// <summary>
    /// Writes the softmax of each <paramref name="cols"/>-wide row of <paramref name="logits"/> into
    /// <paramref name="probabilities"/> (which may be the same span).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Forward(logits, probabilities, cols, [], []);

    /// <summary>
    /// <see cref="Forward{T}(ReadOnlySpan{T}, Span{T}, int)"/> that also writes each row's
    /// <c>log Σ_k e^(z_k)</c> into <paramref name="logSumExp"/> (one value per row) unless it is empty,
    /// using <paramref name="scratch"/> (as long) for the row sums: the cross-entropy needs it, and it
    /// falls out of the softmax at the cost of one vectorised log pass.
    /// </summary>
    internal static void Forward<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int cols, Span<T> logSumExp, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cols == 0)
            return;
        int length = logits.Length / cols * cols;
        bool wantLog = !logSumExp.IsEmpty;
        for (int start = 0, r = 0; start < length; start += cols, r++)
        {
            var z = logits.Slice(start, cols);
            T max = RowOps.Max(z);
            if (wantLog)
                logSumExp[r] = max;
            RowOps.Subtract(z, max, probabilities.Slice(start, cols));
        }
        var all = probabilities[..length];
        TensorPrimitives.Exp<T>(all, all);
        for (int start = 0, r = 0; start < length; start += cols, r++)
        {
            var p = probabilities.Slice(start, cols);
            T sum = RowOps.Sum<T>(p);
            if (wantLog)
                scratch[r] = sum;
            RowOps.Divide(p, sum);
        }
        if (wantLog)
        {
            int rows = length / cols;
            var sums = scratch[..rows];
            TensorPrimitives.Log<T>(sums, sums);
            TensorPrimitives.Add<T>(logSumExp[..rows], sums, logSumExp[..rows]);
        }
    }

    /// <summary>
    /// The Jacobian-vector product of softmax: given <c>p</c> and <c>g = dL/dp</c>, writes
    /// <c>dL/dz_j = Σ_i g_i ∂p_i/∂z_j = p_j (g_j − Σ_i g_i p_i)</c>, from
    /// <c>∂p_i/∂z_j = p_i(δ_ij − p_j)</c> (seeds 001 and 004).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> probabilities, ReadOnlySpan<T> outputGradient, Span<T> inputGradient, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start + cols <= probabilities.Length && cols > 0; start += cols)
        {
            var p = probabilities.Slice(start, cols);
            var g = outputGradient.Slice(start, cols);
            var dz = inputGradient.Slice(start, cols);
            if (cols < RowOps.ScalarBelow)
            {
                T dot = T.Zero;
                for (int k = 0; k < cols; k++)
                    dot += g[k] * p[k];
                for (int k = 0; k < cols; k++)
                    dz[k] = (g[k] - dot) * p[k];
                continue;
            }
            T d = TensorPrimitives.Dot(g, p);
            TensorPrimitives.Subtract(g, d, dz);
            TensorPrimitives.Multiply(dz, p, dz);
        }
    }
}
