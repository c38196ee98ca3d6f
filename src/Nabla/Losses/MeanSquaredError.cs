using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// Mean squared error over all elements, PyTorch's <c>MSELoss</c>: <c>L = (1/(N·K)) Σ (ŷ − y)²</c>, so
/// <c>dL/dŷ = 2(ŷ − y)/(N·K)</c>. With one output this is seed 003's <c>(ŷ − y)²</c>; with two outputs it
/// equals seed 000's <c>½ Σ_i (a_i − y_i)²</c>.
/// </summary>
public sealed class MeanSquaredError<T> : ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient = new(0, 0);
    private bool _called;

    /// <inheritdoc />
    public string Name => "mse";

    /// <inheritdoc />
    public T Forward(Matrix<T> prediction, Matrix<T> target)
    {
        LossChecks.SameShape(Name, prediction, target);
        _gradient.Reshape(prediction.Rows, prediction.Cols);
        var diff = _gradient.Span;
        TensorPrimitives.Subtract(prediction.Span, target.Span, diff);
        T count = T.CreateChecked(diff.Length);
        T loss = TensorPrimitives.SumOfSquares<T>(diff) / count;
        TensorPrimitives.Multiply(diff, T.CreateChecked(2) / count, diff);
        _called = true;
        return loss;
    }

    /// <inheritdoc />
    public Matrix<T> Backward()
    {
        LossChecks.ForwardCalled(Name, _called);
        return _gradient;
    }
}
