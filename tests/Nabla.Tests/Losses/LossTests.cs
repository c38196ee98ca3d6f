using Nabla.Diagnostics;
using Nabla.Layers.Activations;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Losses;

public class LossTests
{
    public static IEnumerable<object[]> Shapes() => [[1, 1], [1, 2], [7, 13], [5, 3]];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryLossGradientMatchesFiniteDifferences(int rows, int cols)
    {
        var logits = TestData.Gaussian(rows, cols, seed: 1, stdDev: 2);
        var oneHot = TestData.OneHot(rows, cols, seed: 2);
        var soft = TestData.Distribution(rows, cols, seed: 3);
        var values = TestData.Gaussian(rows, cols, seed: 4);
        var bits = new Matrix<double>(rows, cols);
        for (int i = 0; i < bits.Length; i++)
            bits.Span[i] = i % 3 == 0 ? 1 : 0;

        TestData.AssertPassed(GradientCheck.Loss(new CrossEntropy<double>(), logits, oneHot));
        TestData.AssertPassed(GradientCheck.Loss(new CrossEntropy<double>(), logits, soft));
        TestData.AssertPassed(GradientCheck.Loss(new MeanSquaredError<double>(), logits, values));
        TestData.AssertPassed(GradientCheck.Loss(new BinaryCrossEntropy<double>(), logits, bits));
        TestData.AssertPassed(GradientCheck.Loss(new OnSoftmax<double>(new MeanSquaredError<double>()), logits, oneHot));
        TestData.AssertPassed(GradientCheck.Loss(SeedZeroLoss(), logits, oneHot));
        TestData.AssertPassed(GradientCheck.Loss(new MseCrossEntropy<double>(), logits, oneHot));
        TestData.AssertPassed(GradientCheck.Loss(new MseCrossEntropy<double>(), logits, soft));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FusedSeedZeroLossEqualsItsTermsSummed(int rows, int cols)
    {
        var logits = TestData.Gaussian(rows, cols, seed: 11, stdDev: 2);
        var soft = TestData.Distribution(rows, cols, seed: 12);
        var terms = SeedZeroLoss();
        var fused = new MseCrossEntropy<double>();

        Assert.Equal(terms.Forward(logits, soft), fused.Forward(logits, soft), 1e-13);
        var expected = terms.Backward();
        var actual = fused.Backward();
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected.Span[i], actual.Span[i], 1e-14);
    }

    private static WeightedSum<double> SeedZeroLoss() =>
        new((1, new OnSoftmax<double>(new MeanSquaredError<double>())), (1, new CrossEntropy<double>()));

    [Fact]
    public void FusedCrossEntropyGradientEqualsTheSoftmaxJacobianPath()
    {
        var z = TestData.Gaussian(7, 13, seed: 5, stdDev: 3);
        var y = TestData.OneHot(7, 13, seed: 6);
        var fused = new CrossEntropy<double>();
        fused.Forward(z, y);
        var expected = fused.Backward();

        // The unfused path: p = softmax(z), dL/dp = −y/(N·p), then softmax's Jacobian-vector product.
        var softmax = new Softmax<double>();
        var p = softmax.Forward(z, training: false);
        var dp = new Matrix<double>(7, 13);
        for (int i = 0; i < dp.Length; i++)
            dp.Span[i] = -y.Span[i] / (7 * p.Span[i]);
        var viaJacobian = softmax.Backward(dp);

        // Within 1e-14 rather than "equal when rounded to 14 decimals", which fails on values 1e-17
        // apart that straddle a rounding boundary.
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected.Span[i], viaJacobian.Span[i], 1e-14);
        // And the fused gradient is the seeds' (p − y)/N.
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal((p.Span[i] - y.Span[i]) / 7, expected.Span[i], 15);
    }

    [Fact]
    public void CrossEntropyIsStableForHugeLogits()
    {
        var z = Matrix<double>.FromRows([1000, -1000, 0], [-800, 800, 0]);
        var y = Matrix<double>.FromRows([0, 1, 0], [0, 1, 0]);
        double loss = new CrossEntropy<double>().Forward(z, y);
        Assert.Equal((2000 + 0) / 2.0, loss, 9);
        Assert.True(double.IsFinite(new CrossEntropy<float>().Forward(z.Convert<float>(), y.Convert<float>())));
    }

    [Fact]
    public void MeanSquaredErrorMatchesTheSeedsConventions()
    {
        // Seed 003, one output: (ŷ − y)².
        Assert.Equal(Math.Pow(0.5 - 8, 2), new MeanSquaredError<double>().Forward(Matrix<double>.FromRows([0.5]), Matrix<double>.FromRows([8.0])), 12);
        // Seed 000, two outputs: ½ Σ (a − y)², averaged over samples.
        var a = Matrix<double>.FromRows([0.3, 0.7], [0.9, 0.1]);
        var y = Matrix<double>.FromRows([0, 1], [1, 0]);
        double seedZero = (0.5 * (0.09 + 0.09) + 0.5 * (0.01 + 0.01)) / 2;
        Assert.Equal(seedZero, new MeanSquaredError<double>().Forward(a, y), 14);
    }

    [Fact]
    public void CrossEntropyMatchesItsDefinition()
    {
        var z = Matrix<double>.FromRows([1, 2, 3]);
        double p2 = Math.Exp(2) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Assert.Equal(-Math.Log(p2), new CrossEntropy<double>().Forward(z, Matrix<double>.FromRows([0, 1, 0])), 14);
    }

    [Fact]
    public void BinaryCrossEntropyMatchesItsDefinition()
    {
        double z = 0.7, s = 1 / (1 + Math.Exp(-z));
        double expected = (-Math.Log(s) - Math.Log(1 - s)) / 2;
        Assert.Equal(expected, new BinaryCrossEntropy<double>().Forward(Matrix<double>.FromRows([z, z]), Matrix<double>.FromRows([1, 0])), 14);
    }

    [Fact]
    public void WeightedSumAddsItsTerms()
    {
        var z = TestData.Gaussian(3, 4, seed: 8);
        var y = TestData.OneHot(3, 4, seed: 9);
        double mse = new OnSoftmax<double>(new MeanSquaredError<double>()).Forward(z, y);
        double ce = new CrossEntropy<double>().Forward(z, y);
        var sum = new WeightedSum<double>((0.5, new OnSoftmax<double>(new MeanSquaredError<double>())), (2, new CrossEntropy<double>()));
        Assert.Equal(0.5 * mse + 2 * ce, sum.Forward(z, y), 14);
        Assert.Equal("0.5*mse(softmax)+2*cross-entropy", sum.Name);
    }

    [Fact]
    public void ShapeMismatchNamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new CrossEntropy<double>().Forward(new Matrix<double>(2, 3), new Matrix<double>(2, 4)));
        Assert.Contains("2x3", error.Message);
        Assert.Contains("2x4", error.Message);
        Assert.Throws<InvalidOperationException>(() => new MeanSquaredError<double>().Backward());
    }
}
