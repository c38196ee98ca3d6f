using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>PyTorch's <c>nn.Softmax(dim=1)</c>: over each sample's values.</summary>
public sealed class SoftmaxKind : ActivationKind
{
    private SoftmaxKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static SoftmaxKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Softmax";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } = [new("dim", OptionType.Int, OptionValue.Of(1))];

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new Softmax<T>();

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["Softmax"];

    /// <summary>ONNX's <c>Softmax</c> over axis 1, each sample's values.</summary>
    public override string ToOnnx(OnnxLayerExport layer) => layer.Node("Softmax", [layer.InputValue], OnnxAttribute.Of("axis", 1L));

    /// <summary>
    /// ONNX's <c>Softmax</c> over a row of values: axis 1 or −1 (the default is −1 from opset 13 and 1 before, which
    /// on a row of values both mean the row).
    /// </summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        long axis = layer.Node.Int("axis", layer.Opset >= 13 ? -1 : 1);
        if (layer.Input.Rank != 1 || axis is not (1 or -1))
            throw new ArgumentException($"Softmax over axis {axis} of a {layer.Input} input; Nabla's Softmax takes a row of values and axis 1 (or -1)");
        return new LayerSpec(Name);
    }

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        if (input.Rank != 1 || spec.Int("dim") is not (1 or -1))
            throw new ArgumentException($"{spec} takes a row of values and dim=1; received a {input} input with dim={spec.Int("dim")}.");
        return (spec, input);
    }
}

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
    public LayerKind Kind => SoftmaxKind.Instance;

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
        LayerChecks.SameShape(Kind.Name, _hasOutput ? _output : null, outputGradient);
        _inputGradient.Reshape(outputGradient.Rows, outputGradient.Cols);
        RowSoftmax.Backward<T>(_output.Span, outputGradient.Span, _inputGradient.Span, outputGradient.Cols);
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => Kind.Name;
}
