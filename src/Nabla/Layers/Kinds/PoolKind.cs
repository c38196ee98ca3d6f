using System.Globalization;
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
