using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Layers.Activations;

/// <summary><c>a = max(0, z)</c>; the derivative is 1 where <c>z &gt; 0</c> and 0 elsewhere (0 at <c>z = 0</c>, as in seed 004 and PyTorch).</summary>
public sealed class Relu<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override string Kind => "ReLU";

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a) => TensorPrimitives.Max(z, T.Zero, a);

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        for (int i = 0; i < inputGradient.Length; i++)
            inputGradient[i] = z[i] > T.Zero ? outputGradient[i] : T.Zero;
    }
}
