using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Models;

public class ClassProbabilitiesTests
{
    private static Architecture Classifier(string loss, int outputs, params string[] classes) =>
        Architecture.Mlp(2, [3], outputs, "tanh", loss, classes);

    [Fact]
    public void SoftmaxLossesGiveRowsThatSumToOneAndTheLargestLogitsClass()
    {
        var architecture = Classifier("cross-entropy", 3, "a", "b", "c");
        var outputs = new Matrix<float>(2, 3, [1f, 3f, 2f, -1f, -2f, 0.5f]);

        ClassProbabilities.Apply(outputs, architecture);

        Assert.Equal(ProbabilityFunction.Softmax, ClassProbabilities.For(architecture));
        Assert.Equal(["a", "b", "c"], ClassProbabilities.Columns(architecture));
        Assert.Equal(1f, outputs[0, 0] + outputs[0, 1] + outputs[0, 2], 5);
        Assert.Equal(MathF.Exp(3) / (MathF.Exp(1) + MathF.Exp(3) + MathF.Exp(2)), outputs[0, 1], 5);
        Assert.Equal(1, ClassProbabilities.Predicted<float>(outputs.Row(0), architecture));
        Assert.Equal(2, ClassProbabilities.Predicted<float>(outputs.Row(1), architecture));
    }

    [Fact]
    public void BinaryCrossEntropyGivesEachLogitsSigmoidAndOneLogitIsTheSecondClass()
    {
        var architecture = Classifier("binary-cross-entropy", 1, "no", "yes");
        var outputs = new Matrix<float>(3, 1, [2f, -0.5f, 0f]);

        ClassProbabilities.Apply(outputs, architecture);

        Assert.Equal(ProbabilityFunction.Sigmoid, ClassProbabilities.For(architecture));
        Assert.Equal(["yes"], ClassProbabilities.Columns(architecture));
        Assert.Equal(1 / (1 + MathF.Exp(-2)), outputs[0, 0], 6);
        Assert.Equal(1 / (1 + MathF.Exp(0.5f)), outputs[1, 0], 6);
        Assert.Equal(1, ClassProbabilities.Predicted<float>(outputs.Row(0), architecture));
        Assert.Equal(0, ClassProbabilities.Predicted<float>(outputs.Row(1), architecture));
        Assert.Equal(0, ClassProbabilities.Predicted<float>(outputs.Row(2), architecture)); // exactly one half is not above it
    }

    [Fact]
    public void MseClassifiersAndRegressionModelsKeepTheirOutputs()
    {
        var mse = Classifier("mse", 2, "a", "b");
        var regression = Architecture.Mlp(2, [3], 1, "tanh", "mse", null);
        var outputs = new Matrix<float>(1, 2, [0.25f, -4f]);

        ClassProbabilities.Apply(outputs, mse);

        Assert.Equal(ProbabilityFunction.None, ClassProbabilities.For(mse));
        Assert.Equal(ProbabilityFunction.None, ClassProbabilities.For(regression));
        Assert.Equal([0.25f, -4f], outputs.Span.ToArray());
        Assert.Throws<ArgumentException>(() => ClassProbabilities.Columns(regression));
    }
}
