using Nabla.Layers;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Tests.Optimizers;

/// <summary>A few steps of each optimizer pinned against values worked by hand.</summary>
public class OptimizerTests
{
    private static Parameter<double> Param(double value, double gradient, bool decays = true)
    {
        var p = new Parameter<double>("weight", Matrix<double>.FromRows([value]), decays ? ParameterRole.Weight : ParameterRole.Bias);
        p.Gradient[0, 0] = gradient;
        return p;
    }

    [Fact]
    public void PlainGradientDescentStepsAgainstTheGradient()
    {
        var p = Param(1.0, 0.5);
        new Sgd<double>(0.1).Step([p]);
        Assert.Equal(0.95, p.Value[0, 0], 15);
    }

    [Fact]
    public void MomentumFollowsSeedTwosForm()
    {
        // v ← 0.9v + 0.1g, W ← W − v, with g = 1 throughout:
        // v₁ = 0.1, W = 0.9; v₂ = 0.19, W = 0.71; v₃ = 0.271, W = 0.439.
        var p = Param(1.0, 1.0);
        var sgd = new Sgd<double>(0.1, momentum: 0.9);
        double[] expected = [0.9, 0.71, 0.439];
        foreach (var w in expected)
        {
            sgd.Step([p]);
            Assert.Equal(w, p.Value[0, 0], 14);
        }
        Assert.Equal(0.271, sgd.Velocity[p][0], 14);
    }

    [Fact]
    public void NesterovLooksAheadAlongTheNewVelocity()
    {
        // step = 0.1; v₁ = 0.1, W −= 0.9·0.1 + 0.1 = 0.19; v₂ = 0.19, W −= 0.9·0.19 + 0.1 = 0.271.
        var p = Param(1.0, 1.0);
        var sgd = new Sgd<double>(0.1, momentum: 0.9, nesterov: true);
        sgd.Step([p]);
        Assert.Equal(0.81, p.Value[0, 0], 14);
        sgd.Step([p]);
        Assert.Equal(0.539, p.Value[0, 0], 14);
    }

    [Fact]
    public void WeightDecayAddsLambdaWToWeightsButNotBiases()
    {
        var weight = Param(2.0, 0.0);
        var bias = Param(2.0, 0.0, decays: false);
        new Sgd<double>(0.1, weightDecay: 0.5).Step([weight, bias]);
        Assert.Equal(2.0 - 0.1 * 0.5 * 2.0, weight.Value[0, 0], 15);
        Assert.Equal(2.0, bias.Value[0, 0]);
    }

    [Fact]
    public void AdamsFirstStepsMatchTheFormula()
    {
        // With bias correction, step 1 moves by α·g/(|g| + ε) = α·sign(g).
        var p = Param(1.0, 0.2);
        var adam = new Adam<double>(0.01);
        adam.Step([p]);
        Assert.Equal(1.0 - 0.01 * 0.2 / (0.2 + 1e-8), p.Value[0, 0], 14);
        // Step 2 with g = −0.1: m = 0.9·0.02 − 0.01 = 0.008, v = 0.999·4e-5 + 1e-5 = 4.996e-5.
        p.Gradient[0, 0] = -0.1;
        double before = p.Value[0, 0];
        adam.Step([p]);
        double mHat = 0.008 / (1 - 0.81), vHat = 4.996e-5 / (1 - 0.998001);
        Assert.Equal(before - 0.01 * mHat / (Math.Sqrt(vHat) + 1e-8), p.Value[0, 0], 14);
    }

    [Fact]
    public void ClippingScalesTheGlobalNormDown()
    {
        var a = Param(0, 3.0);
        var b = Param(0, 4.0);
        new Sgd<double>(1.0, maxGradientNorm: 1.0).Step([a, b]);
        Assert.Equal(-0.6, a.Value[0, 0], 14);
        Assert.Equal(-0.8, b.Value[0, 0], 14);
    }

    [Fact]
    public void SchedulesGiveTheDocumentedRates()
    {
        Assert.Equal(0.1, LearningRateSchedule.Constant.Rate(0.1, 7));
        Assert.Equal(0.1 * 0.25, LearningRateSchedule.Step(10, 0.5).Rate(0.1, 25), 15);
        Assert.Equal(0.1 * Math.Pow(0.9, 3), LearningRateSchedule.Exponential(0.9).Rate(0.1, 3), 15);
        Assert.Equal(0.1 / 2, LearningRateSchedule.InverseScaling(0.5).Rate(0.1, 3), 15);
    }

    [Fact]
    public void BadSettingsAreRejectedWithTheValueReceived()
    {
        Assert.Contains("received -1", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(-1)).Message);
        Assert.Contains("received 1", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, momentum: 1)).Message);
        Assert.Throws<ArgumentException>(() => new Sgd<double>(0.1, nesterov: true));
    }
}
