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
    public void AdamWShrinksWeightsBeforeAdamsStepAndLeavesBiasesAlone()
    {
        // Step 1: W ← (1 − αλ)W = 0.999, then Adam's first step −α·g/(|g| + ε) ≈ −α.
        var weight = Param(1.0, 0.2);
        var bias = Param(1.0, 0.2, decays: false);
        var adamW = new AdamW<double>(0.01, weightDecay: 0.1);
        adamW.Step([weight, bias]);
        Assert.Equal(0.999 - 0.01 * 0.2 / (0.2 + 1e-8), weight.Value[0, 0], 15);
        Assert.Equal(1.0 - 0.01 * 0.2 / (0.2 + 1e-8), bias.Value[0, 0], 15);
        // The decay stays out of the moments: m = (1 − β₁)g exactly, unlike Adam's L2.
        Assert.Equal(0.1 * 0.2, adamW.Moments[weight].M[0], 15);
    }

    [Fact]
    public void AdagradDividesByTheRootOfTheSummedSquares()
    {
        // s₀ = 0.75, g = 0.5: s = 1, W = 1 − 0.1·0.5/(1 + ε) = 0.95.
        var p = Param(1.0, 0.5);
        var adagrad = new Adagrad<double>(0.1, learningRateDecay: 1, initialAccumulatorValue: 0.75);
        adagrad.Step([p]);
        Assert.Equal(1.0 - 0.1 * 0.5 / (1 + 1e-10), p.Value[0, 0], 15);
        Assert.Equal(1.0, adagrad.Sums[p][0], 15);
        // Step 2, g = 1.5: the rate decays to 0.1/(1 + 1·1) = 0.05, s = 1 + 2.25 = 3.25.
        p.Gradient[0, 0] = 1.5;
        double before = p.Value[0, 0];
        adagrad.Step([p]);
        Assert.Equal(before - 0.05 * 1.5 / (Math.Sqrt(3.25) + 1e-10), p.Value[0, 0], 15);
    }

    [Fact]
    public void AdagradAddsL2ToTheGradientItAccumulates()
    {
        // g′ = 0.5 + 0.5·1 = 1: s = 1, W = 1 − 0.1·1/(1 + ε).
        var p = Param(1.0, 0.5);
        var adagrad = new Adagrad<double>(0.1, weightDecay: 0.5);
        adagrad.Step([p]);
        Assert.Equal(1.0, adagrad.Sums[p][0], 15);
        Assert.Equal(0.9, p.Value[0, 0], 9);
    }

    [Fact]
    public void RmsPropDividesByTheRunningRootMeanSquare()
    {
        // ρ = 0.75, g = 2: a = 0.25·4 = 1, W = 1 − 0.1·2/(1 + ε) ≈ 0.8.
        var p = Param(1.0, 2.0);
        var rmsProp = new RmsProp<double>(0.1, alpha: 0.75);
        rmsProp.Step([p]);
        Assert.Equal(1.0 - 0.1 * 2 / (1 + 1e-8), p.Value[0, 0], 15);
        // Step 2, g = 2 again: a = 0.75 + 1 = 1.75.
        double before = p.Value[0, 0];
        rmsProp.Step([p]);
        Assert.Equal(1.75, rmsProp.State[p].SquareAverage[0], 15);
        Assert.Equal(before - 0.1 * 2 / (Math.Sqrt(1.75) + 1e-8), p.Value[0, 0], 15);
    }

    [Fact]
    public void CenteredRmsPropSubtractsTheSquaredRunningMean()
    {
        // ρ = 0.75, g = 2: a = 1, ḡ = 0.5, d = √(1 − 0.25) + ε.
        var p = Param(1.0, 2.0);
        var rmsProp = new RmsProp<double>(0.1, alpha: 0.75, centered: true);
        rmsProp.Step([p]);
        Assert.Equal(0.5, rmsProp.State[p].GradientAverage![0], 15);
        Assert.Equal(1.0 - 0.1 * 2 / (Math.Sqrt(0.75) + 1e-8), p.Value[0, 0], 15);
    }

    [Fact]
    public void RmsPropWithMomentumAccumulatesTheQuotient()
    {
        // ρ = 0.75, μ = 0.5, g = 2: a = 1, b = 2/(1 + ε), W = 1 − 0.1b;
        // step 2: a = 1.75, b = 0.5b + 2/(√1.75 + ε).
        var p = Param(1.0, 2.0);
        var rmsProp = new RmsProp<double>(0.1, alpha: 0.75, momentum: 0.5);
        rmsProp.Step([p]);
        double b1 = 2 / (1 + 1e-8);
        Assert.Equal(1.0 - 0.1 * b1, p.Value[0, 0], 15);
        rmsProp.Step([p]);
        double b2 = 0.5 * b1 + 2 / (Math.Sqrt(1.75) + 1e-8);
        Assert.Equal(b2, rmsProp.State[p].MomentumBuffer![0], 15);
        Assert.Equal(1.0 - 0.1 * b1 - 0.1 * b2, p.Value[0, 0], 14);
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
    public void BadSettingsAreRejectedWithTheValueReceived()
    {
        Assert.Contains("received -1", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(-1)).Message);
        Assert.Contains("received 1", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<double>(0.1, momentum: 1)).Message);
        Assert.Throws<ArgumentException>(() => new Sgd<double>(0.1, nesterov: true));
        Assert.Contains("received -0.5", Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad<double>(learningRateDecay: -0.5)).Message);
        Assert.Contains("received -1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad<double>(initialAccumulatorValue: -1)).Message);
        Assert.Contains("received 1", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>(alpha: 1)).Message);
        Assert.Contains("received 0", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>(epsilon: 0)).Message);
        Assert.Contains("received 1.5", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp<double>(momentum: 1.5)).Message);
        Assert.Contains("received -0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW<double>(weightDecay: -0.1)).Message);
        Assert.Contains("received 1 and 0.999", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW<double>(beta1: 1)).Message);
    }
}
