using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// Seed 000's loss fused: the mean squared error of the softmax probabilities plus the
/// cross-entropy of the logits, <c>L = (1/(N·K)) Σ (p − y)² − (1/N) Σ y log p</c>, on one softmax.
/// It equals <c>new WeightedSum((1, new OnSoftmax(new MeanSquaredError())), (1, new CrossEntropy()))</c>
/// up to rounding, which takes the softmax twice and makes four more passes over the batch.
/// </summary>
/// <remarks>
/// The gradient is <c>dL/dz = (2/(N·K))·p ⊙ (d − Σ_j d_j p_j) + (p·Σ_k y_k − y)/N</c> with
/// <c>d = p − y</c>: the MSE term through softmax's Jacobian (seed 000's derivation) plus the fused
/// cross-entropy gradient. The per-row work runs as plain loops, since the seeds' outputs have two
/// or three classes.
/// </remarks>
public sealed class SoftmaxMseCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient = new(0, 0);
    private readonly Matrix<T> _logSumExp = new(0, 0);
    private bool _called;

    /// <inheritdoc />
    public string Name => "mse(softmax)+cross-entropy";

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        int rows = prediction.Rows, cols = prediction.Cols;
        _gradient.Reshape(rows, cols);
        _logSumExp.Reshape(2, rows);
        var logSumExp = _logSumExp.Row(0);
        RowSoftmax.Forward<T>(prediction.Span, _gradient.Span, cols, logSumExp, _logSumExp.Row(1));
        ReadOnlySpan<T> logits = prediction.Span, targets = target.Span;
        var gradient = _gradient.Span; // holds p until overwritten row by row
        T n = T.CreateChecked(rows), nk = T.CreateChecked((long)rows * cols);
        T twoOverNk = T.CreateChecked(2) / nk;
        T squares = T.Zero, crossEntropy = T.Zero;
        for (int r = 0, start = 0; r < rows; r++, start += cols)
        {
            var z = logits.Slice(start, cols);
            var y = targets.Slice(start, cols);
            var g = gradient.Slice(start, cols);
            T ySum = T.Zero, yz = T.Zero, dp = T.Zero;
            for (int k = 0; k < cols; k++)
            {
                T d = g[k] - y[k];
                squares += d * d;
                dp += d * g[k];
                ySum += y[k];
                yz += y[k] * z[k];
            }
            crossEntropy += ySum * logSumExp[r] - yz;
            for (int k = 0; k < cols; k++)
            {
                T p = g[k];
                g[k] = twoOverNk * p * (p - y[k] - dp) + (p * ySum - y[k]) / n;
            }
        }
        _called = true;
        return squares / nk + crossEntropy / n;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        return _gradient;
    }
}
