using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Layers.Activations;

/// <summary><c>a = tanh(z)</c>; <c>d/dz tanh(z) = 1 − tanh²(z) = sech²(z)</c> (seeds 000 and 004).</summary>
public sealed class Tanh<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Kind => "Tanh";

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a) => TensorPrimitives.Tanh(z, a);

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        TensorPrimitives.Multiply(a, a, inputGradient);                     // a²
        TensorPrimitives.Subtract(T.One, inputGradient, inputGradient);      // 1 − a²
        TensorPrimitives.Multiply(inputGradient, outputGradient, inputGradient);
    }
}
