using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers.Activations;

/// <summary>PyTorch's <c>nn.LeakyReLU(negative_slope=0.01)</c>.</summary>
public sealed class LeakyReluKind : ActivationKind
{
    private LeakyReluKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static LeakyReluKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "LeakyReLU";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } = [new("negative_slope", OptionType.Real, OptionValue.Of(0.01), ["slope"])];

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) => new LeakyRelu<T>(spec.Real("negative_slope"));

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["LeakyRelu"];

    /// <summary>ONNX's <c>LeakyRelu</c> with <c>alpha</c> = the negative slope (as a float, the precision Nabla computes it in).</summary>
    public override string ToOnnx(OnnxLayerExport layer) =>
        layer.Node("LeakyRelu", [layer.InputValue], OnnxAttribute.Of("alpha", (float)layer.Spec.Real("negative_slope")));

    /// <summary>ONNX's <c>LeakyRelu(alpha=0.01)</c> is <c>LeakyReLU(negative_slope=alpha)</c>.</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer) =>
        new(Name, [new("negative_slope", OptionValue.Of(OnnxLayerImport.Decimal(layer.Node.Float("alpha", 0.01f))))]);

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        RequireRange(spec, "negative_slope", 0, 1, maxExclusive: true);
        return (spec, input);
    }
}

/// <summary><c>a = z</c> for <c>z &gt; 0</c>, <c>a = slope·z</c> otherwise; the derivative is 1 or <c>slope</c>.</summary>
public sealed class LeakyRelu<T> : Activation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the activation; PyTorch's default <paramref name="slope"/> is 0.01.</summary>
    public LeakyRelu(double slope = 0.01)
    {
        if (!(slope >= 0 && slope < 1))
            throw new ArgumentOutOfRangeException(nameof(slope), $"Expected a slope in [0, 1); received {slope}.");
        Slope = slope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public double Slope { get; }

    /// <inheritdoc />
    public override LayerKind Kind => LeakyReluKind.Instance;

    /// <inheritdoc />
    protected override void Apply(ReadOnlySpan<T> z, Span<T> a)
    {
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < z.Length; i++)
            a[i] = z[i] > T.Zero ? z[i] : slope * z[i];
    }

    /// <inheritdoc />
    protected override void Derivative(ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
    {
        T slope = T.CreateChecked(Slope);
        for (int i = 0; i < z.Length; i++)
            inputGradient[i] = z[i] > T.Zero ? outputGradient[i] : slope * outputGradient[i];
    }
}
