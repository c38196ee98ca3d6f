using System.Numerics;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Losses;

/// <summary>
/// Takes another loss on the softmax probabilities of logits: <c>L = inner(softmax(z), y)</c>, with the
/// backward pass through softmax's Jacobian (<c>dL/dz = p ⊙ (g − g·p)</c>, <c>g = dL/dp</c>). With
/// <see cref="WeightedSum{T}"/> it computes seed 000's loss term by term, the reference <see cref="MseCrossEntropy{T}"/> is checked against.
/// </summary>
internal sealed class OnSoftmax<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILoss<T> _inner;
    private readonly Matrix<T> _probabilities = new(0, 0);
    private readonly Matrix<T> _gradient = new(0, 0);
    private bool _called;

    /// <summary>Wraps <paramref name="inner"/>, which then sees probabilities instead of logits.</summary>
    public OnSoftmax(ILoss<T> inner)
    {
        _inner = inner;
        Name = $"{inner.Name}(softmax)"; // built once: the checks on every step pass it
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        _probabilities.Reshape(prediction.Rows, prediction.Cols);
        RowSoftmax.Forward<T>(prediction.Span, _probabilities.Span, prediction.Cols);
        _called = true;
        return _inner.Forward(_probabilities, target);
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        var g = _inner.Backward();
        _gradient.Reshape(g.Rows, g.Cols);
        RowSoftmax.Backward<T>(_probabilities.Span, g.Span, _gradient.Span, g.Cols);
        return _gradient;
    }
}
