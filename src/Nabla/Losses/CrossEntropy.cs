using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// Softmax cross-entropy taken on logits, averaged over the batch:
/// <c>L = −(1/N) Σ_n Σ_k y_nk log p_nk</c> with <c>p = softmax(z)</c>, computed as
/// <c>log p = z − max z − log Σ e^(z − max z)</c> so it never takes the log of an underflowed probability.
/// </summary>
/// <remarks>
/// Fusing the softmax gives the gradient of seeds 002 and 004, <c>dL/dz = (p − y)/N</c> for one-hot
/// (or any row-summing-to-one) targets; in general it is <c>(p·Σ_k y_k − y)/N</c>, which this computes.
/// </remarks>
public sealed class CrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient = new(0, 0);
    private readonly Matrix<T> _logSumExp = new(0, 0);
    private bool _called;

    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        int rows = prediction.Rows, cols = prediction.Cols;
        // One pass of exponentials gives both p (turned into the gradient below) and log Σ e^z.
        var logSumExp = RowSoftmax.ForwardWithLogSums(prediction, _gradient, _logSumExp);
        ReadOnlySpan<T> logits = prediction.Span, targets = target.Span;
        var gradient = _gradient.Span;
        T total = T.Zero;
        T n = T.CreateChecked(rows);
        if (cols < RowOps.ScalarBelow)
        {
            // Narrow rows through references: a bounds-checked slice per row of two or ten classes
            // costs more than the row's arithmetic.
            ref T z = ref MemoryMarshal.GetReference(logits);
            ref T y = ref MemoryMarshal.GetReference(targets);
            ref T g = ref MemoryMarshal.GetReference(gradient);
            for (int r = 0, start = 0; r < rows; r++, start += cols)
            {
                T ySum = T.Zero, yz = T.Zero;
                for (int k = start; k < start + cols; k++)
                {
                    T yk = Unsafe.Add(ref y, k);
                    ySum += yk;
                    yz += yk * Unsafe.Add(ref z, k);
                }
                // −Σ y (z − logSumExp) = ySum·logSumExp − y·z
                total += ySum * logSumExp[r] - yz;
                for (int k = start; k < start + cols; k++)
                    Unsafe.Add(ref g, k) = Unsafe.Add(ref g, k) * ySum - Unsafe.Add(ref y, k);
            }
            // The same quotients as dividing in the loop, in one vector pass.
            TensorPrimitives.Divide(gradient[..(rows * cols)], n, gradient[..(rows * cols)]);
        }
        else
        {
            for (int r = 0, start = 0; r < rows; r++, start += cols)
            {
                var z = logits.Slice(start, cols);
                var y = targets.Slice(start, cols);
                var g = gradient.Slice(start, cols);
                T ySum = TensorPrimitives.Sum<T>(y);
                total += ySum * logSumExp[r] - TensorPrimitives.Dot<T>(y, z);
                TensorPrimitives.Multiply(g, ySum, g);
                TensorPrimitives.Subtract(g, y, g);
                TensorPrimitives.Divide(g, n, g);
            }
        }
        _called = true;
        return total / n;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        return _gradient;
    }
}
