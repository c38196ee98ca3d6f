using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Layers;

/// <summary>
/// The patch matrix of a convolution, one sample at a time. <see cref="Columns"/> writes <c>X̃</c>
/// [C·kh·kw, OH·OW]: row <c>(c, i, j)</c>, column <c>(oh, ow)</c> holds the input pixel
/// <c>x[c, oh·s − p + i, ow·s − p + j]</c>, zero where that falls in the padding. <see cref="AddColumns"/> is its
/// adjoint (col2im): it adds every entry of a [C·kh·kw, OH·OW] matrix back onto the pixel it was read from.
/// </summary>
/// <remarks>
/// Both walk the input one kernel offset (c, i, j) at a time, in runs of OW pixels rather than of the kernel width
/// (3 or 5); with stride 1 and an output as wide as the input, a kernel offset's whole block is one shifted copy
/// (or vector add).
/// </remarks>
internal static class Im2col
{
    /// <summary>Writes <c>X̃</c> of one sample <paramref name="x"/> (C×H×W) into <paramref name="columns"/>.</summary>
    public static void Columns<T>(in SlidingWindow w, ReadOnlySpan<T> x, Span<T> columns) where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Shifted(in w))
        {
            ShiftedColumns512(in w, MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(columns));
            return;
        }
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
                    if (Shifted(in w))
                    {
                        // Output rows line up with input rows: the whole block is one shifted copy of the plane,
                        // whose values that wrapped around from a neighbouring row are then zeroed.
                        var (from, to) = ShiftedRange(in w, i, j, yFirst, yEnd, plane.Length);
                        plane[from..to].CopyTo(dst[(from - Shift(in w, i, j))..]);
                        ZeroEdges(dst, ow, yFirst, yEnd, xFirst, xEnd);
                        continue;
                    }
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
    /// <see cref="Columns"/> for a shifted window (<see cref="Shifted"/>) on float and AVX-512: each row is written sixteen
    /// pixels at a time by one masked load from the shifted plane, the mask holding the pixels whose source is inside it,
    /// instead of a clear, a copy and a zeroing of each row's edges (800 calls of a few hundred values per sample in
    /// cnn-mnist's second convolution). The same values, padding +0 as before.
    /// </summary>
    private static unsafe void ShiftedColumns512(in SlidingWindow w, ReadOnlySpan<float> x, Span<float> columns)
    {
        int pixels = w.OutputPixels;
        var plan = ShiftedPlan.For(in w);
        var lane = Vector512<int>.Indices;
        var inBlock = Vector512.LessThan(lane + Vector512.Create(pixels / 16 * 16), Vector512.Create(pixels));
        fixed (float* source = x, destination = columns)
        fixed (int* columnInside = plan.Inside)
        fixed (PatchRow* rows = plan.Rows)
        {
            for (int row = 0; row < w.PatchSize; row++)
            {
                var r = rows[row];
                float* from = source + r.PlaneOffset, to = destination + (long)row * pixels;
                int* xInside = columnInside + r.Column * pixels;
                int p = 0;
                for (; p + 16 <= pixels; p += 16)
                {
                    var valid = r.Covers(lane + Vector512.Create(p)) & Vector512.Load(xInside + p);
                    Avx512F.MaskLoad(from + p, valid.AsSingle(), Vector512<float>.Zero).Store(to + p);
                }
                if (p < pixels)
                {
                    var valid = r.Covers(lane + Vector512.Create(p)) & Vector512.Load(xInside + p);
                    Avx512F.MaskStore(to + p, inBlock.AsSingle(), Avx512F.MaskLoad(from + p, valid.AsSingle(), Vector512<float>.Zero));
                }
            }
        }
    }

    /// <summary>
    /// <see cref="AddColumns"/> for a shifted window on float and AVX-512, sixteen pixels at a time with the same
    /// additions: every plane value the row's shifted range covers gets its entry, or +0 where the entry stands for
    /// the padding (as the general path adds the zeroed entry), so the bits are the same.
    /// </summary>
    private static unsafe void ShiftedAddColumns512(in SlidingWindow w, ReadOnlySpan<float> columns, Span<float> x)
    {
        int pixels = w.OutputPixels;
        var plan = ShiftedPlan.For(in w);
        var lane = Vector512<int>.Indices;
        fixed (float* source = columns, destination = x)
        fixed (int* columnInside = plan.Inside)
        fixed (PatchRow* rows = plan.Rows)
        {
            for (int row = 0; row < w.PatchSize; row++)
            {
                var r = rows[row];
                float* to = destination + r.PlaneOffset, from = source + (long)row * pixels;
                int* xInside = columnInside + r.Column * pixels;
                for (int p = 0; p < pixels; p += 16)
                {
                    var covered = r.Covers(lane + Vector512.Create(p));
                    var valid = covered & Vector512.Load(xInside + p);
                    var sum = Avx512F.MaskLoad(to + p, covered.AsSingle(), Vector512<float>.Zero)
                        + Avx512F.MaskLoad(from + p, valid.AsSingle(), Vector512<float>.Zero);
                    Avx512F.MaskStore(to + p, covered.AsSingle(), sum);
                }
            }
        }
    }

    /// <summary>
    /// Patch row (c, i, j) of a shifted window: pixel p reads input index <c>PlaneOffset + p</c>, and the pixels
    /// [Low, High) are those whose index is inside the plane and whose y is inside the image (the general path's range).
    /// </summary>
    private readonly record struct PatchRow(int PlaneOffset, int Low, int High, int Column)
    {
        /// <summary>All ones in the lanes of <paramref name="pixels"/> within [Low, High).</summary>
        public Vector512<int> Covers(Vector512<int> pixels) =>
            Vector512.GreaterThanOrEqual(pixels, Vector512.Create(Low)) & Vector512.LessThan(pixels, Vector512.Create(High));
    }

    /// <summary>
    /// What the vector paths need of a shifted window besides the data: each patch row's <see cref="PatchRow"/>, in (c, i, j)
    /// order, and per kernel column j which of the <c>OH·OW</c> pixels read an x inside the image (all ones) or the padding
    /// (0), with a vector's slack at the end. Built once per thread and window and kept: a network's few convolutions call
    /// with the same windows for every sample of every step, so a steady-state step builds none.
    /// </summary>
    private sealed class ShiftedPlan
    {
        /// <summary>Most windows a thread keeps plans for; past it the oldest goes.</summary>
        private const int Kept = 16;

        [ThreadStatic] private static List<ShiftedPlan>? t_plans;

        private ShiftedPlan(in SlidingWindow w)
        {
            Window = w;
            int ow = w.OutputWidth, pixels = w.OutputPixels, plane = w.Height * w.Width;
            Rows = new PatchRow[w.PatchSize];
            for (int c = 0, row = 0; c < w.Channels; c++)
                for (int i = 0; i < w.KernelHeight; i++)
                {
                    var (yFirst, yEnd) = SlidingWindow.Inside(i, w.Height, 1, w.PadHeight, w.OutputHeight);
                    for (int j = 0; j < w.KernelWidth; j++, row++)
                    {
                        int shift = Shift(in w, i, j);
                        Rows[row] = new PatchRow(c * plane + shift, Math.Max(-shift, yFirst * ow), Math.Min(plane - shift, yEnd * ow), j);
                    }
                }
            Inside = new int[w.KernelWidth * pixels + Vector512<int>.Count];
            for (int j = 0; j < w.KernelWidth; j++)
            {
                var (xFirst, xEnd) = SlidingWindow.Inside(j, w.Width, 1, w.PadWidth, ow);
                for (int p = 0; p < pixels; p++)
                    Inside[j * pixels + p] = p % ow >= xFirst && p % ow < xEnd ? -1 : 0;
            }
        }

        public SlidingWindow Window { get; }

        public PatchRow[] Rows { get; }

        public int[] Inside { get; }

        /// <summary>This thread's plan for <paramref name="w"/>, built the first time.</summary>
        public static ShiftedPlan For(in SlidingWindow w)
        {
            var plans = t_plans ??= new List<ShiftedPlan>(Kept);
            foreach (var plan in plans)
                if (plan.Window == w)
                    return plan;
            if (plans.Count == Kept)
                plans.RemoveAt(0);
            var built = new ShiftedPlan(in w);
            plans.Add(built);
            return built;
        }
    }

    /// <summary>
    /// Adds each entry of <paramref name="columns"/> (<c>[C·kh·kw, OH·OW]</c>, laid out as <see cref="Columns"/> writes
    /// <c>X̃</c>) onto the pixel of <paramref name="x"/> it stands for; padding entries are dropped. With
    /// <c>columns = ∂L/∂X̃</c> this is <c>∂L/∂x</c> (col2im): every pixel's gradient is the sum over the patch entries
    /// that copied it, added in a fixed order. <paramref name="columns"/> is scratch: entries that stand for padding may
    /// be zeroed.
    /// </summary>
    public static void AddColumns<T>(in SlidingWindow w, Span<T> columns, Span<T> x) where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Shifted(in w))
        {
            ShiftedAddColumns512(in w, MemoryMarshal.Cast<T, float>(columns), MemoryMarshal.Cast<T, float>(x));
            return;
        }
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
                    if (Shifted(in w))
                    {
                        // One shifted vector add of the block, after zeroing the entries that would wrap around
                        // onto a neighbouring row: adding zero changes no pixel.
                        ZeroEdges(src, ow, yFirst, yEnd, xFirst, xEnd);
                        var (from, to) = ShiftedRange(in w, i, j, yFirst, yEnd, plane.Length);
                        TensorPrimitives.Add(plane[from..to], src[(from - Shift(in w, i, j))..(to - Shift(in w, i, j))], plane[from..to]);
                        continue;
                    }
                    for (int y = yFirst; y < yEnd; y++)
                    {
                        var line = src.Slice(y * ow, ow);
                        var dst = plane.Slice((y * w.StrideHeight - w.PadHeight + i) * w.Width);
                        if (w.StrideWidth == 1)
                        {
                            var run = dst.Slice(xFirst + offset, xEnd - xFirst);
                            TensorPrimitives.Add(run, line[xFirst..xEnd], run);
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

    /// <summary>
    /// Stride 1 and an output as wide as the input ("same" padding along the width): output position
    /// <c>(y, x)</c> of kernel offset (i, j) reads input index <c>y·W + x + Shift</c>, one shift for the whole block.
    /// </summary>
    private static bool Shifted(in SlidingWindow w) => w.StrideHeight == 1 && w.StrideWidth == 1 && w.OutputWidth == w.Width;

    private static int Shift(in SlidingWindow w, int i, int j) => (i - w.PadHeight) * w.Width + j - w.PadWidth;

    /// <summary>The input indices a shifted block of rows [<paramref name="yFirst"/>, <paramref name="yEnd"/>) covers, clipped to the plane.</summary>
    private static (int From, int To) ShiftedRange(in SlidingWindow w, int i, int j, int yFirst, int yEnd, int plane)
    {
        int shift = Shift(in w, i, j);
        return (Math.Max(0, yFirst * w.Width + shift), Math.Min(plane, yEnd * w.Width + shift));
    }

    /// <summary>Zeroes columns [0, <paramref name="xFirst"/>) and [<paramref name="xEnd"/>, <paramref name="width"/>) of rows [<paramref name="yFirst"/>, <paramref name="yEnd"/>): a few values per row, stored one by one (a call per run cost more than the copy).</summary>
    private static void ZeroEdges<T>(Span<T> block, int width, int yFirst, int yEnd, int xFirst, int xEnd) where T : unmanaged, INumberBase<T>
    {
        if (xFirst == 0 && xEnd == width)
            return;
        for (int y = yFirst; y < yEnd; y++)
        {
            var row = block.Slice(y * width, width);
            for (int x = 0; x < xFirst; x++)
                row[x] = T.Zero;
            for (int x = xEnd; x < row.Length; x++)
                row[x] = T.Zero;
        }
    }
}
