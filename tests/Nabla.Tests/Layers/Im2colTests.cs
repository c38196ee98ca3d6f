using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

public sealed class Im2colTests
{
    /// <summary>
    /// Channels, height, width, kernel, stride, padding: shifted windows (stride 1, same width; widths that do not divide
    /// 16, a kernel wider than the image), which take the vector path, and two that take the general path.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int> Windows => new()
    {
        { 1, 28, 28, 5, 1, 2 },
        { 2, 14, 14, 5, 1, 2 },
        { 3, 7, 9, 3, 1, 1 },
        { 2, 5, 5, 3, 1, 1 },
        { 1, 3, 3, 5, 1, 2 },
        { 2, 9, 7, 3, 1, 0 },
        { 2, 9, 9, 3, 2, 1 },
    };

    /// <summary>
    /// Every entry of the patch matrix against its definition, bit for bit: x[c, oh·s − p + i, ow·s − p + j], +0 in the
    /// padding; a NaN pixel must appear only where it is read.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void Columns_hold_each_patch_pixel_and_positive_zero_in_the_padding(int channels, int height, int width, int kernel, int stride, int pad)
    {
        var w = SlidingWindow.Over(SampleShape.Image(channels, height, width), (kernel, kernel), (stride, stride), (pad, pad));
        var x = new float[w.InputSize];
        for (int k = 0; k < x.Length; k++)
            x[k] = -(k + 1) * 0.25f;
        x[x.Length / 2] = float.NaN;
        var columns = new float[w.PatchSize * w.OutputPixels];
        columns.AsSpan().Fill(7f); // stale values the call must overwrite
        Im2col.Columns<float>(in w, x, columns);

        foreach (var (entry, input) in Entries(w, kernel, stride, pad))
        {
            float expected = input >= 0 ? x[input] : 0f;
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(columns[entry]),
                $"entry {entry} (input {input}): expected {expected}, received {columns[entry]}");
        }
    }

    /// <summary>
    /// col2im against its definition: every entry added onto the pixel it was read from, in (c, i, j) order, padding
    /// entries dropped. Positive entries, so no sum is an exact zero whose sign the order could change.
    /// </summary>
    [Theory]
    [MemberData(nameof(Windows))]
    public void AddColumns_adds_each_entry_onto_the_pixel_it_was_read_from(int channels, int height, int width, int kernel, int stride, int pad)
    {
        var w = SlidingWindow.Over(SampleShape.Image(channels, height, width), (kernel, kernel), (stride, stride), (pad, pad));
        int pixels = w.OutputPixels;
        var columns = new float[w.PatchSize * pixels];
        for (int k = 0; k < columns.Length; k++)
            columns[k] = 1f + (k % 97) * 0.125f;
        var expected = new float[w.InputSize];
        for (int k = 0; k < expected.Length; k++)
            expected[k] = k * 0.5f;
        var actual = (float[])expected.Clone();
        foreach (var (entry, input) in Entries(w, kernel, stride, pad))
            if (input >= 0)
                expected[input] += columns[entry];

        Im2col.AddColumns<float>(in w, columns, actual);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>
    /// Each entry of the patch matrix in (c, i, j, oy, ox) order, with the input index it reads: x[c, oy·s − p + i,
    /// ox·s − p + j], or −1 where that is padding.
    /// </summary>
    private static IEnumerable<(int Entry, int Input)> Entries(SlidingWindow w, int kernel, int stride, int pad)
    {
        for (int c = 0, row = 0; c < w.Channels; c++)
            for (int i = 0; i < kernel; i++)
                for (int j = 0; j < kernel; j++, row++)
                    for (int oy = 0; oy < w.OutputHeight; oy++)
                        for (int ox = 0; ox < w.OutputWidth; ox++)
                        {
                            int iy = oy * stride - pad + i, ix = ox * stride - pad + j;
                            bool inside = iy >= 0 && iy < w.Height && ix >= 0 && ix < w.Width;
                            yield return (row * w.OutputPixels + oy * w.OutputWidth + ox, inside ? (c * w.Height + iy) * w.Width + ix : -1);
                        }
    }
}
