using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>PyTorch's <c>nn.Identity</c>.</summary>
public sealed class IdentityKind : ActivationKind
{
    private IdentityKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static IdentityKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Identity";

    /// <inheritdoc />
    protected override string OnnxOperator => "Identity";

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new Identity<T>();

    /// <summary>The identity adds nothing to a network's description.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) => ("", false);
}

/// <summary><c>a = z</c>; the derivative is 1. A linear output layer, as in seed 003's regression.</summary>
public sealed class Identity<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc />
    public override LayerKind Kind => IdentityKind.Instance;

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a) => z.CopyTo(a);

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient) =>
        outputGradient.CopyTo(inputGradient);
}
