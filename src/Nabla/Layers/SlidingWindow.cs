using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// A kernel sliding over C×H×W images, as a convolution or pooling layer moves it: kernel, stride and zero
/// padding per axis, and the output size they give, <c>⌊(H + 2p − k) / s⌋ + 1</c> (PyTorch's, without dilation
/// or ceil mode).
/// </summary>
internal readonly record struct SlidingWindow(
    int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth, int PadHeight, int PadWidth)
{
    /// <summary>A window over images of <paramref name="input"/>'s shape.</summary>
    /// <exception cref="ArgumentException">The shape is not an image, a kernel or stride is below 1, a padding is negative, or the output would be empty.</exception>
    public static SlidingWindow Over(SampleShape input, (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        if (!input.IsImage)
            throw new ArgumentException($"Expected an image shape (C×H×W); received {input}.", nameof(input));
        if (kernel.Height < 1 || kernel.Width < 1 || stride.Height < 1 || stride.Width < 1 || padding.Height < 0 || padding.Width < 0)
            throw new ArgumentException(
                $"Expected kernel and stride of at least 1 and padding of at least 0; received kernel {kernel}, stride {stride}, padding {padding}.");
        var window = new SlidingWindow(input.Channels, input.Height, input.Width, kernel.Height, kernel.Width,
            stride.Height, stride.Width, padding.Height, padding.Width);
        if (window.OutputHeight < 1 || window.OutputWidth < 1)
            throw new ArgumentException($"A {kernel.Height}×{kernel.Width} kernel with padding {padding} does not fit a {input} input.");
        return window;
    }

    /// <summary>A pooling window over <paramref name="input"/>: as <see cref="Over"/>, and padding of at most half the kernel (PyTorch's rule).</summary>
    /// <exception cref="ArgumentException">As <see cref="Over"/>, or the padding exceeds half the kernel.</exception>
    public static SlidingWindow ForPooling(SampleShape input, (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        var window = Over(input, kernel, stride, padding);
        if (2 * padding.Height > kernel.Height || 2 * padding.Width > kernel.Width)
            throw new ArgumentException($"Expected padding of at most half the kernel {kernel}; received {padding}.", nameof(padding));
        return window;
    }

    /// <summary>The shape a pooling over this window gives: the input's channels at the output's height and width.</summary>
    public SampleShape PooledShape => SampleShape.Image(Channels, OutputHeight, OutputWidth);

    /// <summary>Output rows: <c>⌊(H + 2p − k) / s⌋ + 1</c>, or 0 when the kernel is larger than the padded input.</summary>
    public int OutputHeight => OutputSize(Height, KernelHeight, StrideHeight, PadHeight);

    /// <summary>Output columns.</summary>
    public int OutputWidth => OutputSize(Width, KernelWidth, StrideWidth, PadWidth);

    /// <summary>Output positions per channel, <c>OH·OW</c>.</summary>
    public int OutputPixels => OutputHeight * OutputWidth;

    /// <summary>Values in one input sample, <c>C·H·W</c>.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values under the kernel across all channels, <c>C·kh·kw</c>: a convolution's patch length.</summary>
    public int PatchSize => Channels * KernelHeight * KernelWidth;

    /// <summary>Output positions along one axis of <paramref name="size"/> values, or 0 when the kernel does not fit.</summary>
    public static int OutputSize(int size, int kernel, int stride, int pad) =>
        size + 2 * pad < kernel ? 0 : (size + 2 * pad - kernel) / stride + 1;

    /// <summary>
    /// The output positions <c>[first, end)</c> along an axis at which kernel offset <paramref name="offset"/> lands
    /// inside the input (<c>0 ≤ o·s − p + offset &lt; size</c>); the others read padding.
    /// </summary>
    public static (int First, int End) Inside(int offset, int size, int stride, int pad, int outputs)
    {
        int shift = pad - offset; // o·s ≥ shift and o·s < size + shift
        int first = shift <= 0 ? 0 : (shift + stride - 1) / stride;
        int end = size + shift <= 0 ? 0 : (size + shift - 1) / stride + 1;
        first = Math.Min(first, outputs);
        return (first, Math.Max(first, Math.Min(end, outputs)));
    }
}
