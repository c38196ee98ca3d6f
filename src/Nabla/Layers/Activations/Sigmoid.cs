using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Layers.Activations;

/// <summary><c>a = σ(z) = 1 / (1 + e^−z)</c>; <c>d/dz σ(z) = σ(z)(1 − σ(z))</c> (seeds 003 and 004).</summary>
public sealed class Sigmoid<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Kind => "Sigmoid";

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a) => TensorPrimitives.Sigmoid(z, a);

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        TensorPrimitives.Subtract(T.One, a, inputGradient);                  // 1 − a
        TensorPrimitives.Multiply(inputGradient, a, inputGradient);          // a(1 − a)
        TensorPrimitives.Multiply(inputGradient, outputGradient, inputGradient);
    }
}
