using Nabla.Init;
using Nabla.Models;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>Inference in bounded batches gives every row the bits of one batch of all rows.</summary>
public class InferenceBatchTests
{
    [Theory]
    [InlineData(0, 16)]
    [InlineData(5, 16)]
    [InlineData(16, 16)]
    [InlineData(31, 16)]
    [InlineData(33, 16)]
    [InlineData(1039, 1024)]
    [InlineData(1040, 1024)]
    [InlineData(3000, 1024)]
    public void RangesCoverEveryRowInOrderAndNoneIsShorterThanSixteenRowsUnlessAllAre(int count, int rows)
    {
        var ranges = InferenceBatch.Ranges(count, rows).ToList();

        Assert.Equal(Enumerable.Range(0, count), ranges.SelectMany(r => Enumerable.Range(r.Start, r.Length)));
        Assert.All(ranges, r => Assert.InRange(r.Length, Math.Min(count, InferenceBatch.MinRows), rows + InferenceBatch.MinRows - 1));
    }

    [Fact]
    public void AWideModelGetsSixteenRowsAndANarrowOneTheMost()
    {
        var wide = Architecture.Mlp(2, [1_000_000], 2, "relu", "cross-entropy", ["a", "b"]);
        var narrow = Architecture.Mlp(784, [128], 10, "relu", "cross-entropy", [.. Enumerable.Range(0, 10).Select(i => $"{i}")]);

        Assert.Equal(InferenceBatch.MinRows, InferenceBatch.Rows(wide));
        Assert.Equal(InferenceBatch.MaxRows, InferenceBatch.Rows(narrow));
    }

    public static TheoryData<int, int[], int, string> Networks => new()
    {
        { 2, [2], 2, "tanh" },        // the 2-2-2 network, whose products take the lane-permutation kernel
        { 4, [16, 8], 3, "relu" },
        { 64, [256], 10, "sigmoid" }, // large enough for the packed kernel at 1,024 rows
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void BatchesOfAtLeastSixteenRowsGiveTheBitsOfOneBatch(int inputs, int[] hidden, int outputs, string activation)
    {
        var architecture = Architecture.Mlp(inputs, hidden, outputs, activation, "cross-entropy", [.. Enumerable.Range(0, outputs).Select(i => $"{i}")]);
        var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(7));
        var rng = new Rng(11);
        foreach (int count in new[] { 17, 1039, 2100 })
        {
            var x = new Matrix<float>(count, inputs);
            for (int i = 0; i < x.Length; i++)
                x.Span[i] = (float)rng.NextGaussian(0, 1);
            float[] whole = model.Forward(x, training: false).Span.ToArray();
            foreach (int rows in new[] { 16, 100, 1024 })
            {
                var batched = new float[whole.Length];
                foreach (var (start, length) in InferenceBatch.Ranges(count, rows))
                {
                    var part = new Matrix<float>(length, inputs, x.Span.Slice(start * inputs, length * inputs).ToArray());
                    model.Forward(part, training: false).Span.CopyTo(batched.AsSpan(start * outputs));
                }
                Assert.True(whole.AsSpan().SequenceEqual(batched), $"{count} rows in batches of {rows} differ from one batch");
            }
        }
    }
}
