using System.Numerics;
using System.Numerics.Tensors;
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
    private bool _called;

    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        int cols = prediction.Cols;
        _gradient.Reshape(prediction.Rows, cols);
        RowSoftmax.Forward<T>(prediction.Span, _gradient.Span, cols); // p, turned into the gradient below
        T total = T.Zero;
        T n = T.CreateChecked(prediction.Rows);
        for (int r = 0; r < prediction.Rows; r++)
        {
            var z = prediction.Row(r);
            var y = target.Row(r);
            var g = _gradient.Row(r);
            T max = TensorPrimitives.Max<T>(z);
            T logSumExp = max + T.Log(SumExpShifted(z, max));
            T ySum = TensorPrimitives.Sum<T>(y);
            // −Σ y (z − logSumExp) = ySum·logSumExp − y·z
            total += ySum * logSumExp - TensorPrimitives.Dot<T>(y, z);
            for (int k = 0; k < cols; k++)
                g[k] = (g[k] * ySum - y[k]) / n;
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

    private static T SumExpShifted(ReadOnlySpan<T> z, T max)
    {
        T sum = T.Zero;
        foreach (var v in z)
            sum += T.Exp(v - max);
        return sum;
    }
}
