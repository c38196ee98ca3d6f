using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Tests.Diagnostics;

/// <summary>
/// Seed 003's worked example: x = [1, 2], y = 8, three sigmoid hidden units, a linear output and
/// L = (ŷ − y)². The seed writes each hidden row as [bias, w₁, w₂] and V as [v₀ (bias), v₁, v₂, v₃].
/// </summary>
/// <remarks>
/// The pinned values were computed independently in closed form (σ(z) = 1/(1+e^−z), in float64) and
/// agree with central differences below. Where the seed differs: it rounds every sigmoid to 0.52, so
/// it gets ŷ = 0.056 (exact 0.0567491) and ∂L/∂v = [−15.888, −8.262, −8.262, −8.262] (exact
/// [−15.8865, −8.3005, −8.2608, −8.2212]); it writes ∂ŷ/∂v₃ = 0 and the first ∂L/∂w as −0.0492 or
/// −0.792 in places (slips for −0.0792); its ∂L/∂w rows agree with ours to about 3 digits.
/// </remarks>
public class WorkedExampleTests
{
    private static Sequential<double> Network() => WorkedExample.Network();

    private static readonly Matrix<double> X = WorkedExample.Input();
    private static readonly Matrix<double> Y = WorkedExample.Target();

    [Fact]
    public void ForwardAndEveryGradientAreExact()
    {
        var trace = Trace.Run(Network(), new MeanSquaredError<double>(), X, Y, learningRate: 0.1);

        Assert.Equal([0.09, 0.08, 0.07], trace.Layers[0].Output.Span.ToArray().Select(v => Math.Round(v, 15)));
        Assert.Equal([0.5224848247918001, 0.5199893401555818, 0.5174928576663897], trace.Layers[1].Output.Span.ToArray(), Tolerance);
        Assert.Equal(0.05674909100715905, trace.Layers[2].Output[0, 0], 15);
        Assert.Equal(63.09523500321559, trace.Loss, 12);
        Assert.Equal(-15.886501817985682, trace.LossGradient[0, 0], 13);

        var output = trace.Layers[2].Parameters;
        Assert.Equal([-8.300456118924863, -8.260811597714826, -8.221151224111706], output[0].Gradient.Span.ToArray(), Tolerance);
        Assert.Equal(-15.886501817985682, output[1].Gradient[0, 0], 13);

        var hidden = trace.Layers[0].Parameters;
        Assert.Equal([-0.07927187515872762, -0.15854375031745524, -0.11895832877608548, -0.23791665755217095, -0.15867056735354407, -0.31734113470708813],
            hidden[0].Gradient.Span.ToArray(), Tolerance);
        Assert.Equal([-0.07927187515872762, -0.11895832877608548, -0.15867056735354407], hidden[1].Gradient.Span.ToArray(), Tolerance);

        // One step of gradient descent with α = 0.1.
        Assert.Equal(0.01 + 0.1 * 15.886501817985682, trace.Layers[2].Parameters[1].Updated[0, 0], 13);
        Assert.Equal(0.02 + 0.1 * 0.07927187515872762, trace.Layers[0].Parameters[0].Updated[0, 0], 14);
    }

    [Fact]
    public void TheExampleHoldsTheSeedsWeightsAndTracesWithItsLoss()
    {
        var network = Network();
        Assert.Equal([0.02, 0.03, 0.01, 0.02, 0.03, 0.01], network.Parameters[0].Value.Span.ToArray());
        Assert.Equal([0.01, 0.03, 0.02], network.Parameters[1].Value.Span.ToArray());
        Assert.Equal([0.02, 0.03, 0.04], network.Parameters[2].Value.Span.ToArray());
        Assert.Equal([0.01], network.Parameters[3].Value.Span.ToArray());
        Assert.Equal(WorkedExample.Architecture.ToJson(), Nabla.Models.Architecture.FromJson(WorkedExample.Architecture.ToJson()).ToJson());
        Assert.Equal(63.09523500321559, WorkedExample.Trace().Loss, 12);
    }

    [Fact]
    public void TheSameGradientsComeOutOfFiniteDifferences() =>
        TestData.AssertPassed(GradientCheck.Model(Network(), new MeanSquaredError<double>(), X, Y, atol: 1e-8, rtol: 1e-7));

    [Fact]
    public void TraceLeavesTheModelUnchanged()
    {
        var model = Network();
        Trace.Run(model, new MeanSquaredError<double>(), X, Y, learningRate: 0.1);
        Assert.Equal(0.02, model.Parameters[0].Value[0, 0]);
        Assert.All(model.Parameters, p => Assert.All(p.Gradient.Span.ToArray(), g => Assert.Equal(0, g)));
    }

    private static readonly IEqualityComparer<double> Tolerance = new Within(1e-13);

    private sealed class Within(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(y));

        public int GetHashCode(double obj) => 0;
    }
}
