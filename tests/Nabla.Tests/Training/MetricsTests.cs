using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class MetricsTests
{
    [Fact]
    public void ConfusionMatrixAndPerClassMetricsMatchAHandCount()
    {
        int[] truth = [0, 0, 0, 1, 1, 2];
        int[] predicted = [0, 1, 0, 1, 2, 2];
        var m = Metrics.ConfusionMatrix(truth, predicted, 3);
        Assert.Equal(new[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 0, 0, 1 } }, m);
        var perClass = Metrics.PerClass(m, ["a", "b", "c"]);
        Assert.Equal(1.0, perClass[0].Precision);
        Assert.Equal(2.0 / 3, perClass[0].Recall, 15);
        Assert.Equal(0.8, perClass[0].F1, 15);
        Assert.Equal(0.5, perClass[1].Precision);
        Assert.Equal(3, perClass[0].Support);
        Assert.Equal(4.0 / 6, Metrics.Accuracy(truth, predicted), 15);
    }

    [Fact]
    public void ArgMaxAndMseAreElementary()
    {
        var scores = Matrix<double>.FromRows([0.1, 0.7, 0.2], [3, -1, 3]);
        Assert.Equal([1, 0], Metrics.ArgMaxRows(scores));
        Assert.Equal(2.5, Metrics.MeanSquaredError(Matrix<double>.FromRows([1, 2]), Matrix<double>.FromRows([2, 4])), 15);
        Assert.Throws<ArgumentException>(() => Metrics.Accuracy([1], [1, 2]));
    }
}
