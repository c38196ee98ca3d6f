using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Losses;

/// <summary>
/// <c>L = Σ_i w_i L_i</c>, so <c>dL/dŷ = Σ_i w_i dL_i/dŷ</c>. Seed 000's loss term by term, the reference
/// <see cref="MseCrossEntropy{T}"/> is checked against, is
/// <c>new WeightedSum((1, new OnSoftmax(new MeanSquaredError())), (1, new CrossEntropy()))</c>.
/// </summary>
internal sealed class WeightedSum<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly (double Weight, ILoss<T> Loss)[] _terms;
    private readonly Matrix<T> _gradient = new(0, 0);
    private bool _called;

    /// <summary>Sums <paramref name="terms"/>, each scaled by its weight.</summary>
    public WeightedSum(params (double Weight, ILoss<T> Loss)[] terms)
    {
        if (terms.Length == 0)
            throw new ArgumentException("Expected at least one loss term; received none.", nameof(terms));
        _terms = terms;
        // Built once: the checks on every step pass it.
        Name = string.Join("+", terms.Select(t => t.Weight == 1 ? t.Loss.Name : $"{t.Weight}*{t.Loss.Name}"));
    }

    /// <summary>The weighted terms.</summary>
    public IReadOnlyList<(double Weight, ILoss<T> Loss)> Terms => _terms;

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        T total = T.Zero;
        foreach (var (weight, loss) in _terms)
            total += T.CreateChecked(weight) * loss.Forward(prediction, target);
        _called = true;
        return total;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        bool first = true;
        foreach (var (weight, loss) in _terms)
        {
            var g = loss.Backward();
            if (first)
            {
                _gradient.Reshape(g.Rows, g.Cols);
                TensorPrimitives.Multiply(g.Span, T.CreateChecked(weight), _gradient.Span);
                first = false;
            }
            else
            {
                TensorPrimitives.MultiplyAdd(g.Span, T.CreateChecked(weight), _gradient.Span, _gradient.Span);
            }
        }
        return _gradient;
    }
}
