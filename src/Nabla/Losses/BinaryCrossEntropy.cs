using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// Binary cross-entropy on logits, PyTorch's <c>BCEWithLogitsLoss</c>, averaged over all elements:
/// <c>ℓ = −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|)</c> (the stable form),
/// with <c>dℓ/dz = σ(z) − y</c>.
/// </summary>
public sealed class BinaryCrossEntropy<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient = new(0, 0);
    private bool _called;

    /// <inheritdoc />
    public string Name => "binary-cross-entropy";

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        _gradient.Reshape(prediction.Rows, prediction.Cols);
        var z = prediction.Span;
        var y = target.Span;
        var g = _gradient.Span;
        T count = T.CreateChecked(z.Length);
        T total = T.Zero;
        for (int i = 0; i < z.Length; i++)
        {
            total += T.Max(z[i], T.Zero) - z[i] * y[i] + T.Log(T.One + T.Exp(-T.Abs(z[i])));
            g[i] = (T.One / (T.One + T.Exp(-z[i])) - y[i]) / count;
        }
        _called = true;
        return total / count;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        return _gradient;
    }
}
