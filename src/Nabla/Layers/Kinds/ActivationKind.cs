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
    public override IReadOnlyList<string> OnnxOperators => OnnxOperator is { } op ? [op] : [];

    /// <summary>The activation is the ONNX operator <see cref="OnnxOperator"/> on its input, when it has one.</summary>
    public override string ToOnnx(OnnxLayerExport layer) => OnnxOperator is { } op ? layer.Node(op, [layer.InputValue]) : base.ToOnnx(layer);

    /// <summary>The ONNX operator <see cref="OnnxOperator"/> is this activation, when it has one.</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer) => OnnxOperator is not null ? new LayerSpec(Name) : base.FromOnnx(layer);

    /// <summary>The ONNX operator with the same meaning and no attributes (<c>Relu</c>), or null; an activation with attributes overrides <see cref="ToOnnx"/> and <see cref="FromOnnx"/> instead.</summary>
    protected virtual string? OnnxOperator => null;

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input) => (spec, input);
}
