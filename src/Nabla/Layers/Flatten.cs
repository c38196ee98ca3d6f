using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// PyTorch's <c>nn.Flatten(start_dim=1, end_dim=-1)</c>: a C×H×W sample becomes a row of C·H·W features. Only
/// the defaults are supported (everything after the batch dimension is flattened).
/// </summary>
public sealed class FlattenKind : LayerKind
{
    private FlattenKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static FlattenKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Flatten";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } =
        [new("start_dim", OptionType.Int, OptionValue.Of(1)), new("end_dim", OptionType.Int, OptionValue.Of(-1))];

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new Flatten<T>();

    /// <summary>Flatten reads as the row it makes: <c>"6272"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) => (output.ToString(), true);

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["Flatten", "Reshape"];

    /// <summary>ONNX's <c>Flatten</c> at axis 1: each sample to a row.</summary>
    public override string ToOnnx(OnnxLayerExport layer) => layer.Node("Flatten", [layer.InputValue], OnnxAttribute.Of("axis", 1L));

    /// <summary>ONNX's <c>Flatten</c> at axis 1, or a <c>Reshape</c> to <c>[batch, -1]</c> (<c>[-1, C·H·W]</c>, <c>[0, -1]</c>).</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        var node = layer.Node;
        bool flat = node.OpType == "Flatten"
            ? node.Int("axis", 1) == 1
            : layer.Int64Constant(node, 1, "shape") is [-1 or 0, var size] && (size == -1 || size == layer.Input.Size);
        return flat ? new LayerSpec(Name) : throw new ArgumentException($"it does not flatten each sample to a row ({Name} is Flatten at axis 1 or Reshape to [batch, -1])");
    }

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        // end_dim may also name the last dimension by its index (1 + rank − 1, counting the batch).
        if (spec.Int("start_dim") != 1 || spec.Int("end_dim") is not (-1) && spec.Int("end_dim") != input.Rank)
            throw new ArgumentException(
                $"{spec}: only start_dim=1 and end_dim=-1 (flatten each whole sample) are supported; received start_dim={spec.Int("start_dim")}, end_dim={spec.Int("end_dim")} for a {input} input.");
        return (spec, SampleShape.Features(input.Size));
    }
}

/// <summary>
/// Reshapes each sample to a row of features. A batch already stores each sample as one row, C-major (PyTorch's
/// <c>x[n].flatten()</c>), so forward and backward pass their matrix through untouched: <c>∂L/∂X = G</c>.
/// </summary>
public sealed class Flatten<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _output;

    /// <inheritdoc />
    public LayerKind Kind => FlattenKind.Instance;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training) => _output = input;

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _output, outputGradient);
        return outputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => "Flatten";
}
