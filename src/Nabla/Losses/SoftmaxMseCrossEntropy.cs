using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        // References rather than slices: with two or three classes a bounds-checked slice per row
        // costs more than the row's arithmetic.
        ref T z = ref MemoryMarshal.GetReference(prediction.Span);
        ref T y = ref MemoryMarshal.GetReference(target.Span);
        ref T g = ref MemoryMarshal.GetReference(_gradient.Span); // holds p until overwritten row by row
        T n = T.CreateChecked(rows), nk = T.CreateChecked((long)rows * cols);
        T twoOverNk = T.CreateChecked(2) / nk;
        T squares = T.Zero, crossEntropy = T.Zero;
        for (int r = 0, start = 0; r < rows; r++, start += cols)
        {
            T ySum = T.Zero, yz = T.Zero, dp = T.Zero;
            for (int k = start; k < start + cols; k++)
            {
                T pk = Unsafe.Add(ref g, k), yk = Unsafe.Add(ref y, k);
                T d = pk - yk;
                squares += d * d;
                dp += d * pk;
                ySum += yk;
                yz += yk * Unsafe.Add(ref z, k);
            }
            crossEntropy += ySum * logSumExp[r] - yz;
            for (int k = start; k < start + cols; k++)
            {
                T pk = Unsafe.Add(ref g, k), yk = Unsafe.Add(ref y, k);
                Unsafe.Add(ref g, k) = twoOverNk * pk * (pk - yk - dp) + (pk * ySum - yk) / n;
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
