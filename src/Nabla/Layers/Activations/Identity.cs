using System.Numerics;

namespace Nabla.Layers.Activations;

/// <summary><c>a = z</c>; the derivative is 1. A linear output layer, as in seed 003's regression.</summary>
public sealed class Identity<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Kind => "Identity";

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a) => z.CopyTo(a);

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient) =>
        outputGradient.CopyTo(inputGradient);
}
