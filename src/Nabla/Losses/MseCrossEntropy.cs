using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// Seed 000's loss, <c>mse+cross-entropy</c>: the mean squared error of the softmax probabilities plus the
/// cross-entropy of the logits, <c>L = (1/(N·K)) Σ (p − y)² − (1/N) Σ y log p</c>, fused on one softmax
/// (the tests check it against the two terms computed apart, which take the softmax twice).
/// </summary>
/// <remarks>
/// The gradient is <c>dL/dz = (2/(N·K))·p ⊙ (d − Σ_j d_j p_j) + (p·Σ_k y_k − y)/N</c> with
/// <c>d = p − y</c>: the MSE term through softmax's Jacobian (seed 000's derivation) plus the fused
/// cross-entropy gradient. The per-row work runs as plain loops, since the seeds' outputs have two
/// or three classes; two float classes run eight rows per vector (<see cref="TwoClassRows"/>), with
/// the same gradient bits and the loss value summed in vector lanes.
/// <para>
/// With class weights <c>w</c> each row's whole loss, both terms, counts as many times as its class weighs: a row
/// weighs <c>ω_n = Σ_k w_k y_nk</c> (<c>w</c> of its class when one-hot) and
/// <c>L = Σ_n [ω_n (1/K) Σ_k (p_nk − y_nk)² − Σ_k w_k y_nk log p_nk] / Σ_n ω_n</c>, the cross-entropy term being
/// <see cref="CrossEntropy{T}"/>'s weighted one. The gradient of row <c>n</c> is
/// <c>[(2ω_n/K)·p ⊙ (d − Σ_j d_j p_j) + ω_n p − w ⊙ y] / Σ_n ω_n</c>. With every weight 1 and rows summing to one it is
/// the unweighted loss.
/// </para>
/// </remarks>
public sealed class MseCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient = new(0, 0);
    private readonly Matrix<T> _logSumExp = new(0, 0);
    private readonly Matrix<T> _mseTerm = new(0, 0);
    private readonly T[]? _classWeights;
    private bool _called;

    /// <summary>Creates the loss, unweighted or with one positive weight per class (see <see cref="ClassWeights"/>).</summary>
    /// <exception cref="ArgumentException">A class weight is not positive and finite.</exception>
    public MseCrossEntropy(IReadOnlyList<double>? classWeights = null)
    {
        if (classWeights is not null)
            _classWeights = ClassWeights.Check<T>(classWeights);
        Weights = classWeights?.ToArray();
    }

    /// <inheritdoc />
    public string Name => "mse+cross-entropy";

    /// <summary>The weight of each class, or null when unweighted.</summary>
    public IReadOnlyList<double>? Weights { get; }

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        if (_classWeights is not null)
            return ForwardWeighted(prediction, target, _classWeights);
        int rows = prediction.Rows, cols = prediction.Cols;
        var logSumExp = RowSoftmax.ForwardWithLogSums(prediction, _gradient, _logSumExp);
        // References rather than slices: with two or three classes a bounds-checked slice per row
        // costs more than the row's arithmetic.
        ref T z = ref MemoryMarshal.GetReference(prediction.Span);
        ref T y = ref MemoryMarshal.GetReference(target.Span);
        ref T g = ref MemoryMarshal.GetReference(_gradient.Span); // holds p until overwritten row by row
        _mseTerm.Reshape(rows, cols);
        ref T m = ref MemoryMarshal.GetReference(_mseTerm.Span);
        T n = T.CreateChecked(rows), nk = T.CreateChecked((long)rows * cols);
        T twoOverNk = T.CreateChecked(2) / nk;
        T squares = T.Zero, crossEntropy = T.Zero;
        int done = 0;
        if (cols == 2 && typeof(T) == typeof(float))
            done = VectorRows(prediction, target, logSumExp, twoOverNk, ref squares, ref crossEntropy);
        for (int r = done, start = 2 * done; r < rows && cols == 2; r++, start += 2)
        {
            // Two classes (seed 000): the general loop below, unrolled, in the same order.
            T p0 = Unsafe.Add(ref g, start), p1 = Unsafe.Add(ref g, start + 1);
            T y0 = Unsafe.Add(ref y, start), y1 = Unsafe.Add(ref y, start + 1);
            T d0 = p0 - y0, d1 = p1 - y1;
            squares += d0 * d0;
            squares += d1 * d1;
            T dp = T.Zero + d0 * p0 + d1 * p1;
            T ySum = T.Zero + y0 + y1;
            crossEntropy += ySum * logSumExp[r] - (T.Zero + y0 * Unsafe.Add(ref z, start) + y1 * Unsafe.Add(ref z, start + 1));
            Unsafe.Add(ref m, start) = twoOverNk * p0 * (p0 - y0 - dp);
            Unsafe.Add(ref m, start + 1) = twoOverNk * p1 * (p1 - y1 - dp);
            Unsafe.Add(ref g, start) = p0 * ySum - y0;
            Unsafe.Add(ref g, start + 1) = p1 * ySum - y1;
        }
        for (int r = 0, start = 0; r < rows && cols != 2; r++, start += cols)
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
                Unsafe.Add(ref m, k) = twoOverNk * pk * (pk - yk - dp);
                Unsafe.Add(ref g, k) = pk * ySum - yk;
            }
        }
        // g = mse term + (cross-entropy numerator)/n: the same roundings as in the loop, as two vector passes (the
        // vector rows did both already).
        var gradient = _gradient.Span[(done * cols)..];
        TensorPrimitives.Divide(gradient, n, gradient);
        TensorPrimitives.Add(_mseTerm.Span[(done * cols)..], gradient, gradient);
        _called = true;
        return squares / nk + crossEntropy / n;
    }

    /// <summary>The class-weighted loss and gradient (see the remarks), row by row.</summary>
    private T ForwardWeighted(Matrix<T> prediction, Matrix<T> target, T[] weights)
    {
        ClassWeights.SameCount(Name, weights, prediction.Cols);
        int rows = prediction.Rows, cols = prediction.Cols;
        var logSumExp = RowSoftmax.ForwardWithLogSums(prediction, _gradient, _logSumExp);
        ReadOnlySpan<T> z = prediction.Span, y = target.Span;
        var g = _gradient.Span; // holds p until overwritten row by row
        T k = T.CreateChecked(cols), two = T.CreateChecked(2);
        T total = T.Zero, weightSum = T.Zero;
        for (int r = 0, start = 0; r < rows; r++, start += cols)
        {
            T rowWeight = T.Zero, wyz = T.Zero, squares = T.Zero, dp = T.Zero;
            for (int j = start; j < start + cols; j++)
            {
                T wy = weights[j - start] * y[j], d = g[j] - y[j];
                rowWeight += wy;
                wyz += wy * z[j];
                squares += d * d;
                dp += d * g[j];
            }
            total += rowWeight * squares / k + rowWeight * logSumExp[r] - wyz;
            weightSum += rowWeight;
            T mseScale = two * rowWeight / k;
            for (int j = start; j < start + cols; j++)
            {
                T p = g[j];
                g[j] = mseScale * p * (p - y[j] - dp) + rowWeight * p - weights[j - start] * y[j];
            }
        }
        TensorPrimitives.Divide(g[..(rows * cols)], weightSum, g[..(rows * cols)]);
        _called = true;
        return total / weightSum;
    }

    /// <summary>
    /// Whole blocks of eight two-class float rows through <see cref="TwoClassRows.MseCrossEntropy"/>
    /// (the gradient's bits as in the loop below; the loss value summed in vector lanes). Returns the rows done.
    /// </summary>
    private unsafe int VectorRows(Matrix<T> prediction, Matrix<T> target, Span<T> logSumExp, T twoOverNk, ref T squares, ref T crossEntropy)
    {
        int done;
        float sq, ce;
        fixed (T* p = _gradient.Span, y = target.Span, z = prediction.Span, logSum = logSumExp)
            done = TwoClassRows.MseCrossEntropy((float*)p, (float*)y, (float*)z, (float*)logSum, float.CreateTruncating(twoOverNk),
                prediction.Rows, prediction.Rows, out sq, out ce);
        squares = T.CreateTruncating(sq);
        crossEntropy = T.CreateTruncating(ce);
        return done;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        return _gradient;
    }
}
