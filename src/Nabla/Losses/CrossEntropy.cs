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
/// <para>
/// Fusing the softmax gives the gradient of seeds 002 and 004, <c>dL/dz = (p − y)/N</c> for one-hot
/// (or any row-summing-to-one) targets; in general it is <c>(p·Σ_k y_k − y)/N</c>, which this computes.
/// </para>
/// <para>
/// With class weights <c>w</c> (PyTorch's <c>weight=</c>) a row weighs <c>ω_n = Σ_k w_k y_nk</c> (<c>w</c> of its class
/// for a one-hot row) and <c>L = −Σ_n Σ_k w_k y_nk log p_nk / Σ_n ω_n</c>, so
/// <c>dL/dz_nk = (ω_n p_nk − w_k y_nk) / Σ_n ω_n</c>. For one-hot targets this is PyTorch's weighted mean; for soft
/// targets PyTorch divides by <c>N</c> instead, which does not reduce to the mean when the weights are balanced.
/// </para>
/// </remarks>
public sealed class CrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient = new(0, 0);
    private readonly Matrix<T> _logSumExp = new(0, 0);
    private readonly T[]? _classWeights;
    private bool _called;

    /// <summary>Creates the loss, unweighted or with one positive weight per class (see <see cref="ClassWeights"/>).</summary>
    /// <exception cref="ArgumentException">A class weight is not positive and finite.</exception>
    public CrossEntropy(IReadOnlyList<double>? classWeights = null)
    {
        if (classWeights is not null)
            _classWeights = ClassWeights.Check<T>(classWeights);
        Weights = classWeights?.ToArray();
    }

    /// <inheritdoc />
    public string Name => "cross-entropy";

    /// <summary>The weight of each class (PyTorch's <c>weight</c>), or null when unweighted.</summary>
    public IReadOnlyList<double>? Weights { get; }

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        if (_classWeights is not null)
            return ForwardWeighted(prediction, target, _classWeights);
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

    /// <summary>The class-weighted loss and gradient (see the remarks), element by element.</summary>
    private T ForwardWeighted(Matrix<T> prediction, Matrix<T> target, T[] weights)
    {
        ClassWeights.SameCount(Name, weights, prediction.Cols);
        int rows = prediction.Rows, cols = prediction.Cols;
        var logSumExp = RowSoftmax.ForwardWithLogSums(prediction, _gradient, _logSumExp);
        ReadOnlySpan<T> z = prediction.Span, y = target.Span;
        var g = _gradient.Span; // holds p until overwritten row by row
        T total = T.Zero, weightSum = T.Zero;
        for (int r = 0, start = 0; r < rows; r++, start += cols)
        {
            T rowWeight = T.Zero, wyz = T.Zero;
            for (int k = 0; k < cols; k++)
            {
                T wy = weights[k] * y[start + k];
                rowWeight += wy;
                wyz += wy * z[start + k];
            }
            // −Σ w y (z − logSumExp) = ω·logSumExp − Σ w y z
            total += rowWeight * logSumExp[r] - wyz;
            weightSum += rowWeight;
            for (int k = 0; k < cols; k++)
                g[start + k] = rowWeight * g[start + k] - weights[k] * y[start + k];
        }
        TensorPrimitives.Divide(g[..(rows * cols)], weightSum, g[..(rows * cols)]);
        _called = true;
        return total / weightSum;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        return _gradient;
    }
}
