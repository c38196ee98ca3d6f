using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Tensors;

/// <summary>
/// Softmax along each row, <c>p_j = e^(z_j − max z) / Σ_k e^(z_k − max z)</c>, and its backward pass.
/// Subtracting the row maximum keeps every exponent ≤ 0, so nothing overflows
/// (<see cref="TensorPrimitives.SoftMax{T}(ReadOnlySpan{T}, Span{T})"/> does not do this).
/// </summary>
public static class RowSoftmax
{
    /// <summary>Writes the softmax of each <paramref name="cols"/>-wide row of <paramref name="logits"/> into <paramref name="probabilities"/>.</summary>
    public static void Forward<T>(ReadOnlySpan<T> logits, Span<T> probabilities, int cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < logits.Length; start += cols)
        {
            var z = logits.Slice(start, cols);
            var p = probabilities.Slice(start, cols);
            TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), p);
            TensorPrimitives.Exp(p, p);
            TensorPrimitives.Divide(p, TensorPrimitives.Sum<T>(p), p);
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
        for (int start = 0; start < probabilities.Length; start += cols)
        {
            var p = probabilities.Slice(start, cols);
            var g = outputGradient.Slice(start, cols);
            var dz = inputGradient.Slice(start, cols);
            T dot = TensorPrimitives.Dot(g, p);
            TensorPrimitives.Subtract(g, dot, dz);
            TensorPrimitives.Multiply(dz, p, dz);
        }
    }
}
