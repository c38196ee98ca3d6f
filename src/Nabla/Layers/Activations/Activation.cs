using System.Numerics;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>
/// An elementwise activation <c>a = f(z)</c>. Backward is <c>dL/dz = dL/da ⊙ f′(z)</c>, where each
/// subclass writes <c>f′</c> in whichever of <c>z</c> or <c>a</c> is cheaper.
/// </summary>
public abstract class Activation<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private Matrix<T>? _input;

    /// <inheritdoc />
    public abstract LayerKind Kind { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        _input = input;
        _output.Reshape(input.Rows, input.Cols);
        Apply(input.Span, _output.Span);
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _input is null ? null : _output, outputGradient);
        _inputGradient.Reshape(outputGradient.Rows, outputGradient.Cols);
        Derivative(_input!.Span, _output.Span, outputGradient.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <summary>Writes <c>f(z)</c> into <paramref name="a"/> without touching the layer's buffers (for <see cref="Predictor{T}"/>).</summary>
    internal void ApplyTo(ReadOnlySpan<T> z, Span<T> a) => Apply(z, a);

    /// <summary>Writes <c>f(z)</c> into <paramref name="a"/>.</summary>
    protected abstract void Apply(ReadOnlySpan<T> z, Span<T> a);

    /// <summary>Writes <c>dL/dz = dL/da ⊙ f′(z)</c> into <paramref name="inputGradient"/>.</summary>
    protected abstract void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient);

    /// <inheritdoc />
    public override string ToString() => Kind.Name;
}
