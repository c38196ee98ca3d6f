using System.Globalization;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers.Kinds;

/// <summary>
/// What PyTorch's 2-D pooling modules share: <c>(kernel_size, stride=kernel_size, padding=0)</c>, each a number
/// or a pair (height, width), padding at most half the kernel, an image in and an image of the same channels out.
/// </summary>
public abstract class PoolKind : LayerKind
{
    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } =
    [
        new("kernel_size", OptionType.IntPair),
        // No default: left out, the stride is the kernel size, as PyTorch's stride=None.
        new("stride", OptionType.IntPair),
        new("padding", OptionType.IntPair, OptionValue.Of(0)),
    ];

    /// <summary>The short name in a network's description (<c>maxpool</c>).</summary>
    protected abstract string ShortName { get; }

    /// <summary>The stride of a resolved spec: given, or the kernel size.</summary>
    public static (int Height, int Width) Stride(LayerSpec spec) =>
        spec.Given("stride") is null ? spec.Pair("kernel_size") : spec.Pair("stride");

    /// <summary>Pooling reads as its kernel and output: <c>"maxpool2×2 32×14×14"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output)
    {
        var (kh, kw) = spec.Pair("kernel_size");
        return (string.Create(CultureInfo.InvariantCulture, $"{ShortName}{kh}×{kw} {output}"), true);
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => [OnnxOperator];

    /// <summary>The ONNX operator (<c>MaxPool</c>, <c>AveragePool</c>).</summary>
    protected abstract string OnnxOperator { get; }

    /// <summary>The ONNX operator with the kernel, strides and symmetric pads (and the kind's <see cref="OnnxAttributes"/>).</summary>
    public override string ToOnnx(OnnxLayerExport layer)
    {
        var ((kh, kw), (sh, sw), (ph, pw)) = (layer.Spec.Pair("kernel_size"), Stride(layer.Spec), layer.Spec.Pair("padding"));
        return layer.Node(OnnxOperator, [layer.InputValue],
            [OnnxAttribute.Of("kernel_shape", [kh, kw]), OnnxAttribute.Of("strides", [sh, sw]), OnnxAttribute.Of("pads", [ph, pw, ph, pw]), .. OnnxAttributes]);
    }

    /// <summary>The operator without ceil_mode or dilation, as PyTorch's defaults pool (ONNX's strides default to 1, PyTorch's to the kernel: both are written out).</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer) => FromOnnx(layer.Node, (0, 0));

    /// <summary>The spec of the pooling node <paramref name="node"/>, with <paramref name="padded"/> rows and columns of zeros added before it (by a <c>Pad</c> node) on each side.</summary>
    protected LayerSpec FromOnnx(OnnxNode node, (int Height, int Width) padded)
    {
        if (node.Int("ceil_mode", 0) != 0 || OnnxLayerImport.Pair(node, "dilations", (1, 1)) != (1, 1))
            throw new ArgumentException($"{node.OpType} with ceil_mode={node.Int("ceil_mode", 0)} and dilations {OnnxLayerImport.Pair(node, "dilations", (1, 1))}; {Name} takes ceil_mode 0 and no dilation");
        var kernel = OnnxLayerImport.Pair(node, "kernel_shape", (0, 0));
        if (kernel.Height < 1 || kernel.Width < 1)
            throw new ArgumentException("its kernel_shape is missing or zero");
        var (sh, sw) = OnnxLayerImport.Pair(node, "strides", (1, 1));
        var (ph, pw) = OnnxLayerImport.Padding(node);
        CheckOnnxAttributes(node, (ph, pw));
        (ph, pw) = (ph + padded.Height, pw + padded.Width);
        // Options at PyTorch's defaults (stride = kernel, no padding) are left out, so a network comes back as it was spelled.
        var options = new List<KeyValuePair<string, OptionValue>> { new("kernel_size", OnnxLayerImport.PairOption(kernel)) };
        if ((sh, sw) != kernel)
            options.Add(new("stride", OnnxLayerImport.PairOption((sh, sw))));
        if ((ph, pw) != (0, 0))
            options.Add(new("padding", OnnxLayerImport.PairOption((ph, pw))));
        return new LayerSpec(Name, options);
    }

    /// <summary>Attributes the kind's ONNX operator needs beyond the window (<c>count_include_pad</c>).</summary>
    protected virtual IReadOnlyList<OnnxAttribute> OnnxAttributes => [];

    /// <summary>Throws when the node's other attributes compute something else than the kind.</summary>
    protected virtual void CheckOnnxAttributes(OnnxNode node, (int Height, int Width) padding)
    {
    }

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        RequireImage(spec, input);
        RequireAtLeast(spec, "kernel_size", 1);
        if (spec.Given("stride") is not null)
            RequireAtLeast(spec, "stride", 1);
        RequireAtLeast(spec, "padding", 0);
        var (kh, kw) = spec.Pair("kernel_size");
        var (sh, sw) = Stride(spec);
        var (ph, pw) = spec.Pair("padding");
        if (2 * ph > kh || 2 * pw > kw)
            throw new ArgumentException($"{spec}: expected padding of at most half the kernel ({kh / 2}×{kw / 2}); received padding={spec.Value("padding")}.");
        int oh = SlidingWindow.OutputSize(input.Height, kh, sh, ph), ow = SlidingWindow.OutputSize(input.Width, kw, sw, pw);
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"{spec} shrinks a {input} input below 1×1.");
        return (InOrder(spec), SampleShape.Image(input.Channels, oh, ow));
    }
}
