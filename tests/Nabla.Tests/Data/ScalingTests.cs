using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Tests.Data;

public class ScalingTests
{
    private static Matrix<double> Training() => Matrix<double>.FromRows([1, 10, 5], [3, 20, 5], [5, 60, 5]);

    [Fact]
    public void StandardGivesZeroMeanUnitVarianceAndKeepsConstantColumnsFinite()
    {
        var s = Scaling.Fit(ScalingKind.Standard, Training());
        Assert.Equal([3.0, 30, 5], s.Offset);
        Assert.Equal(Math.Sqrt(8.0 / 3), s.Scale[0], 1e-15);
        Assert.Equal(1.0, s.Scale[2]);
        var x = s.Apply(Training());
        for (int j = 0; j < 2; j++)
        {
            var column = Enumerable.Range(0, 3).Select(i => x[i, j]).ToArray();
            Assert.Equal(0, column.Average(), 1e-15);
            Assert.Equal(1, column.Select(v => v * v).Average(), 1e-14);
        }
        Assert.Equal([0.0, 0, 0], Enumerable.Range(0, 3).Select(i => x[i, 2]));
    }

    [Fact]
    public void MinMaxMapsTrainingToUnitIntervalAndIsFittedOnTrainingOnly()
    {
        var s = Scaling.Fit(ScalingKind.MinMax, Training());
        var x = s.Apply(Training());
        Assert.Equal([0.0, 0, 0, 0.5, 0.2, 0, 1, 1, 0], x.Span.ToArray());
        // Other data goes through the training transform, not its own.
        var other = s.Apply(Matrix<double>.FromRows([9, 110, 7]));
        Assert.Equal([2.0, 2, 2], other.Span.ToArray());
    }

    [Theory]
    [InlineData(ScalingKind.Standard)]
    [InlineData(ScalingKind.MinMax)]
    [InlineData(ScalingKind.None)]
    public void RoundTripsThroughStoredParameters(ScalingKind kind)
    {
        var fitted = Scaling.Fit(kind, Training().Convert<float>());
        // What a model file keeps: the kind and two plain arrays.
        var rebuilt = new Scaling(fitted.Kind, fitted.Offset.ToArray(), fitted.Scale.ToArray());
        var a = fitted.Apply(Training().Convert<float>());
        var b = rebuilt.Apply(Training().Convert<float>());
        Assert.Equal(a.Span.ToArray(), b.Span.ToArray());
        var back = rebuilt.Invert(b).Convert<double>();
        var original = Training();
        for (int i = 0; i < original.Length; i++)
            Assert.Equal(original.Span[i], back.Span[i], 1e-5);
    }

    [Fact]
    public void RejectsTheWrongWidthAndBadParameters()
    {
        var s = Scaling.Fit(ScalingKind.Standard, Training());
        Assert.Throws<ArgumentException>(() => s.Apply(new Matrix<double>(2, 4)));
        Assert.Throws<ArgumentException>(() => new Scaling(ScalingKind.Standard, [0.0], [0.0]));
        Assert.Throws<ArgumentException>(() => new Scaling(ScalingKind.Standard, [0.0, 1], [1.0]));
    }
}
