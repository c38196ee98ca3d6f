using System.Numerics;

namespace Nabla.Layers;

/// <summary>
/// The patch matrices of a convolution, one sample at a time. <see cref="Columns"/> writes <c>X̃</c>
/// [C·kh·kw, OH·OW]: row <c>(c, i, j)</c>, column <c>(oh, ow)</c> holds the input pixel
/// <c>x[c, oh·s − p + i, ow·s − p + j]</c>, zero where that falls in the padding. <see cref="Rows"/> writes its
/// transpose <c>X̃ᵀ</c> [OH·OW, C·kh·kw]; <see cref="AddRows"/> is the adjoint of <see cref="Rows"/> (col2im): it adds
/// every entry of a <c>[OH·OW, C·kh·kw]</c> matrix back onto the pixel it was read from.
/// </summary>
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

    /// <summary>Writes <c>X̃ᵀ</c> of one sample <paramref name="x"/> (C×H×W) into <paramref name="rows"/>: one row of C·kh·kw values per output position.</summary>
    public static void Rows<T>(in SlidingWindow w, ReadOnlySpan<T> x, Span<T> rows) where T : unmanaged, INumberBase<T>
    {
        int oh = w.OutputHeight, ow = w.OutputWidth, kh = w.KernelHeight, kw = w.KernelWidth, patch = w.PatchSize;
        int plane = w.Height * w.Width;
        for (int y = 0; y < oh; y++)
        {
            int top = y * w.StrideHeight - w.PadHeight;
            for (int o = 0; o < ow; o++)
            {
                int left = o * w.StrideWidth - w.PadWidth;
                var dst = rows.Slice((y * ow + o) * patch, patch);
                // Kernel columns [jFirst, jEnd) land inside the image; the rest read padding.
                int jFirst = Math.Max(0, -left), jEnd = Math.Min(kw, w.Width - left);
                for (int c = 0, at = 0; c < w.Channels; c++)
                {
                    for (int i = 0; i < kh; i++, at += kw)
                    {
                        var line = dst.Slice(at, kw);
                        int iy = top + i;
                        if ((uint)iy >= (uint)w.Height || jFirst >= jEnd)
                        {
                            line.Clear();
                            continue;
                        }
                        line[..jFirst].Clear();
                        line[jEnd..].Clear();
                        x.Slice(c * plane + iy * w.Width + left + jFirst, jEnd - jFirst).CopyTo(line[jFirst..jEnd]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds each entry of <paramref name="rows"/> (<c>[OH·OW, C·kh·kw]</c>, laid out as <see cref="Rows"/> writes
    /// <c>X̃ᵀ</c>) onto the pixel of <paramref name="x"/> it stands for; padding entries are dropped. With
    /// <c>rows = ∂L/∂X̃ᵀ</c> this is <c>∂L/∂x</c>, since every pixel's gradient is the sum over the patch entries that copied it.
    /// </summary>
    public static void AddRows<T>(in SlidingWindow w, ReadOnlySpan<T> rows, Span<T> x) where T : unmanaged, INumberBase<T>
    {
        int oh = w.OutputHeight, ow = w.OutputWidth, kh = w.KernelHeight, kw = w.KernelWidth, patch = w.PatchSize;
        int plane = w.Height * w.Width;
        for (int y = 0; y < oh; y++)
        {
            int top = y * w.StrideHeight - w.PadHeight;
            for (int o = 0; o < ow; o++)
            {
                int left = o * w.StrideWidth - w.PadWidth;
                var src = rows.Slice((y * ow + o) * patch, patch);
                int jFirst = Math.Max(0, -left), jEnd = Math.Min(kw, w.Width - left);
                if (jFirst >= jEnd)
                    continue;
                for (int c = 0, at = 0; c < w.Channels; c++)
                {
                    for (int i = 0; i < kh; i++, at += kw)
                    {
                        int iy = top + i;
                        if ((uint)iy >= (uint)w.Height)
                            continue;
                        var dst = x.Slice(c * plane + iy * w.Width + left + jFirst, jEnd - jFirst);
                        var add = src.Slice(at + jFirst, jEnd - jFirst);
                        for (int j = 0; j < dst.Length; j++)
                            dst[j] += add[j];
                    }
                }
            }
        }
    }
}
