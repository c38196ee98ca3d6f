using System.Numerics;

namespace Nabla.Layers;

/// <summary>
/// The patch matrix of a convolution, one sample at a time. <see cref="Columns"/> writes <c>X̃</c>
/// [C·kh·kw, OH·OW]: row <c>(c, i, j)</c>, column <c>(oh, ow)</c> holds the input pixel
/// <c>x[c, oh·s − p + i, ow·s − p + j]</c>, zero where that falls in the padding. <see cref="AddColumns"/> is its
/// adjoint (col2im): it adds every entry of a [C·kh·kw, OH·OW] matrix back onto the pixel it was read from.
/// </summary>
/// <remarks>
/// Both walk the input a kernel row at a time in runs of OW pixels, so with stride 1 every run is one block copy
/// (or vector add), not a loop over kernel widths of 3 or 5.
/// </remarks>
internal static class Im2col
{
    /// <summary>Writes <c>X̃</c> of one sample <paramref name="x"/> (C×H×W) into <paramref name="columns"/>.</summary>
    public static void Columns<T>(in SlidingWindow w, ReadOnlySpan<T> x, Span<T> columns) where T : unmanaged, INumberBase<T>
    {
        int oh = w.OutputHeight, ow = w.OutputWidth, pixels = oh * ow;
        for (int c = 0, row = 0; c < w.Channels; c++)
        {
            var plane = x.Slice(c * w.Height * w.Width, w.Height * w.Width);
            for (int i = 0; i < w.KernelHeight; i++)
            {
                var (yFirst, yEnd) = SlidingWindow.Inside(i, w.Height, w.StrideHeight, w.PadHeight, oh);
                for (int j = 0; j < w.KernelWidth; j++, row++)
                {
                    var (xFirst, xEnd) = SlidingWindow.Inside(j, w.Width, w.StrideWidth, w.PadWidth, ow);
                    var dst = columns.Slice(row * pixels, pixels);
                    dst[..(yFirst * ow)].Clear();
                    dst[(yEnd * ow)..].Clear();
                    for (int y = yFirst; y < yEnd; y++)
                    {
                        var line = dst.Slice(y * ow, ow);
                        var src = plane.Slice((y * w.StrideHeight - w.PadHeight + i) * w.Width);
                        line[..xFirst].Clear();
                        line[xEnd..].Clear();
                        int offset = j - w.PadWidth;
                        if (w.StrideWidth == 1)
                            src.Slice(xFirst + offset, xEnd - xFirst).CopyTo(line[xFirst..xEnd]);
                        else
                            for (int o = xFirst; o < xEnd; o++)
                                line[o] = src[o * w.StrideWidth + offset];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds each entry of <paramref name="columns"/> (<c>[C·kh·kw, OH·OW]</c>, laid out as <see cref="Columns"/> writes
    /// <c>X̃</c>) onto the pixel of <paramref name="x"/> it stands for; padding entries are dropped. With
    /// <c>columns = ∂L/∂X̃</c> this is <c>∂L/∂x</c> (col2im): every pixel's gradient is the sum over the patch entries
    /// that copied it, added in a fixed order.
    /// </summary>
    public static void AddColumns<T>(in SlidingWindow w, ReadOnlySpan<T> columns, Span<T> x) where T : unmanaged, INumberBase<T>
    {
        int oh = w.OutputHeight, ow = w.OutputWidth, pixels = oh * ow;
        for (int c = 0, row = 0; c < w.Channels; c++)
        {
            var plane = x.Slice(c * w.Height * w.Width, w.Height * w.Width);
            for (int i = 0; i < w.KernelHeight; i++)
            {
                var (yFirst, yEnd) = SlidingWindow.Inside(i, w.Height, w.StrideHeight, w.PadHeight, oh);
                for (int j = 0; j < w.KernelWidth; j++, row++)
                {
                    var (xFirst, xEnd) = SlidingWindow.Inside(j, w.Width, w.StrideWidth, w.PadWidth, ow);
                    var src = columns.Slice(row * pixels, pixels);
                    int offset = j - w.PadWidth;
                    for (int y = yFirst; y < yEnd; y++)
                    {
                        var line = src.Slice(y * ow, ow);
                        var dst = plane.Slice((y * w.StrideHeight - w.PadHeight + i) * w.Width);
                        if (w.StrideWidth == 1)
                        {
                            var run = dst.Slice(xFirst + offset, xEnd - xFirst);
                            Add(line[xFirst..xEnd], run);
                        }
                        else
                        {
                            for (int o = xFirst; o < xEnd; o++)
                                dst[o * w.StrideWidth + offset] += line[o];
                        }
                    }
                }
            }
        }
    }

    /// <summary><c>y += x</c>.</summary>
    private static void Add<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumberBase<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(x[i..]) + new Vector<T>(y[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++)
            y[i] += x[i];
    }
}
