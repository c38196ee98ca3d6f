using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>
/// Softmax over each row, as a layer with its full Jacobian-vector backward
/// (<c>dL/dz = p ⊙ (g − (g·p))</c>). To train a classifier prefer <see cref="Losses.CrossEntropy{T}"/>
/// on logits, which fuses this softmax and gives the exact <c>p − y</c> gradient; this layer is for
/// losses taken on probabilities and for showing the seeds' calculations step by step.
/// </summary>
public sealed class Softmax<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private bool _hasOutput;

    /// <inheritdoc />
    public string Kind => "Softmax";

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        _output.Reshape(input.Rows, input.Cols);
        RowSoftmax.Forward<T>(input.Span, _output.Span, input.Cols);
        _hasOutput = true;
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind, _hasOutput ? _output : null, outputGradient);
        _inputGradient.Reshape(outputGradient.Rows, outputGradient.Cols);
        RowSoftmax.Backward<T>(_output.Span, outputGradient.Span, _inputGradient.Span, outputGradient.Cols);
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => Kind;
}
