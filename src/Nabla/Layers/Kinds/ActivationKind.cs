using Nabla.Tensors;

namespace Nabla.Layers.Kinds;

/// <summary>What every elementwise activation kind shares: no tensors, the output shape is the input shape.</summary>
public abstract class ActivationKind : LayerKind
{
    /// <inheritdoc />
    public override LayerRole Role => LayerRole.Activation;

    /// <summary>An activation qualifies the stage before it: <c>"256 ReLU"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) => (spec.ToString(), false);

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input) => (spec, input);
}
