using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>PyTorch's <c>nn.ELU(alpha=1.0)</c>.</summary>
public sealed class EluKind : ActivationKind
{
    private EluKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static EluKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "ELU";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } = [new("alpha", OptionType.Real, OptionValue.Of(1.0))];

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["Elu"];

    /// <summary>ONNX's <c>Elu</c> with its <c>alpha</c>.</summary>
    public override string ToOnnx(OnnxLayerExport layer) => layer.Node("Elu", [layer.InputValue], OnnxAttribute.Of("alpha", (float)layer.Spec.Real("alpha")));

    /// <summary>ONNX's <c>Elu(alpha=1)</c>.</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer) =>
        layer.Node.Float("alpha", 1f) is var alpha && alpha == 1f ? new(Name) : new(Name, [new("alpha", OptionValue.Of(OnnxLayerImport.Decimal(alpha)))]);

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new Elu<T>(spec.Real("alpha"));
}

/// <summary>
/// <c>a = z</c> for <c>z &gt; 0</c>, <c>a = α(eᶻ − 1)</c> otherwise; the derivative is 1, or <c>α eᶻ = a + α</c>,
/// written in the output so no exponential is recomputed.
/// </summary>
public sealed class Elu<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation; PyTorch's default <paramref name="alpha"/> is 1.</summary>
    public Elu(double alpha = 1.0)
    {
        if (!double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Expected a finite alpha; received {alpha}.");
        Alpha = alpha;
    }

    /// <summary>The value the output approaches for large negative inputs is <c>−α</c>.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override LayerKind Kind => EluKind.Instance;

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a)
    {
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++)
            a[i] = z[i] > T.Zero ? z[i] : alpha * T.ExpM1(z[i]);
    }

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < z.Length; i++)
            inputGradient[i] = z[i] > T.Zero ? outputGradient[i] : outputGradient[i] * (a[i] + alpha);
    }
}
