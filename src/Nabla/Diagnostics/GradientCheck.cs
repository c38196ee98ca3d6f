using Nabla.Layers;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Diagnostics;

/// <summary>How one tensor's backpropagated gradient compared with central differences.</summary>
/// <param name="Name">The tensor (<c>"0.weight"</c>, or <c>"input"</c>).</param>
/// <param name="MaxAbsoluteError">Largest <c>|analytic − numeric|</c> over the elements.</param>
/// <param name="MaxRelativeError">Largest <c>|analytic − numeric| / max(|analytic|, |numeric|)</c>, over elements where either exceeds 1e-12.</param>
/// <param name="Passed">Every element satisfied <c>|a − n| ≤ atol + rtol·|n|</c>.</param>
/// <param name="Elements">Number of elements compared.</param>
public sealed record TensorCheck(string Name, double MaxAbsoluteError, double MaxRelativeError, bool Passed, int Elements);

/// <summary>The result of a gradient check: one entry per tensor.</summary>
public sealed record GradientCheckResult(IReadOnlyList<TensorCheck> Tensors)
{
    /// <summary>True when every tensor passed.</summary>
    public bool Passed => Tensors.All(t => t.Passed);
}

/// <summary>
/// Compares backpropagation with float64 central differences,
/// <c>∂L/∂θ ≈ (L(θ + h) − L(θ − h)) / 2h</c>, element by element, passing when
/// <c>|a − n| ≤ atol + rtol·|n|</c> (PyTorch's <c>gradcheck</c> criterion).
/// </summary>
public static class GradientCheck
{
    /// <summary>Default step <c>h</c>.</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>Default absolute tolerance.</summary>
    public const double DefaultAbsoluteTolerance = 1e-6;

    /// <summary>Default relative tolerance.</summary>
    public const double DefaultRelativeTolerance = 1e-4;

    /// <summary>
    /// Checks every parameter of <paramref name="model"/> and the input gradient under <paramref name="loss"/>, in training
    /// mode (batch statistics; every evaluation draws the dropout masks of the backpropagated pass, its layers' generators
    /// rewound). <paramref name="maxElements"/> caps the elements compared per tensor (spread evenly over it), so a large
    /// network is checked in seconds; null compares every element.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxElements"/> is below 1.</exception>
    public static GradientCheckResult Model(Sequential<double> model, ILoss<double> loss, Matrix<double> x, Matrix<double> y,
        double epsilon = DefaultEpsilon, double atol = DefaultAbsoluteTolerance, double rtol = DefaultRelativeTolerance, int? maxElements = null)
    {
        if (maxElements is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxElements), $"Expected at least 1 element per tensor; received {maxElements}.");
        var generators = model.NamedRandom.Select(r => (r.Random, State: r.Random.State)).ToArray();
        double Evaluate()
        {
            foreach (var (rng, state) in generators)
                rng.State = state;
            return loss.Forward(model.Forward(x, training: true), y);
        }
        model.ZeroGradients();
        Evaluate();
        var inputGradient = model.Backward(loss.Backward()).Clone();
        var checks = new List<TensorCheck>();
        foreach (var (name, p) in model.NamedParameters)
            checks.Add(Compare(name, p.Gradient.Clone(), p.Value, Evaluate, epsilon, atol, rtol, maxElements));
        checks.Add(Compare("input", inputGradient, x, Evaluate, epsilon, atol, rtol, maxElements));
        return new GradientCheckResult(checks);
    }

    /// <summary>
    /// Checks one layer under the scalar <c>L = Σ output ⊙ R</c> for a fixed random <c>R</c>
    /// (so dL/doutput = R): its input gradient and each parameter's gradient.
    /// </summary>
    public static GradientCheckResult Layer(ILayer<double> layer, Matrix<double> input, Rng rng,
        double epsilon = DefaultEpsilon, double atol = DefaultAbsoluteTolerance, double rtol = DefaultRelativeTolerance)
    {
        var output = layer.Forward(input, training: true);
        var r = new Matrix<double>(output.Rows, output.Cols);
        for (int i = 0; i < r.Length; i++)
            r.Span[i] = rng.NextGaussian();
        double Evaluate()
        {
            var o = layer.Forward(input, training: true);
            double sum = 0;
            for (int i = 0; i < o.Length; i++)
                sum += o.Span[i] * r.Span[i];
            return sum;
        }
        foreach (var p in layer.Parameters)
            p.ZeroGradient();
        Evaluate();
        var inputGradient = layer.Backward(r).Clone();
        var checks = new List<TensorCheck>();
        foreach (var p in layer.Parameters)
            checks.Add(Compare(p.Name, p.Gradient.Clone(), p.Value, Evaluate, epsilon, atol, rtol));
        checks.Add(Compare("input", inputGradient, input, Evaluate, epsilon, atol, rtol));
        return new GradientCheckResult(checks);
    }

    /// <summary>Checks dL/dprediction of <paramref name="loss"/>.</summary>
    public static GradientCheckResult Loss(ILoss<double> loss, Matrix<double> prediction, Matrix<double> target,
        double epsilon = DefaultEpsilon, double atol = DefaultAbsoluteTolerance, double rtol = DefaultRelativeTolerance)
    {
        loss.Forward(prediction, target);
        var analytic = loss.Backward().Clone();
        return new GradientCheckResult([Compare("prediction", analytic, prediction, () => loss.Forward(prediction, target), epsilon, atol, rtol)]);
    }

    private static TensorCheck Compare(string name, Matrix<double> analytic, Matrix<double> values, Func<double> evaluate,
        double epsilon, double atol, double rtol, int? maxElements = null)
    {
        var v = values.Span;
        double maxAbs = 0, maxRel = 0;
        bool passed = true;
        int count = Math.Min(v.Length, maxElements ?? v.Length);
        for (int k = 0; k < count; k++)
        {
            // Evenly spread: every element when count is the length.
            int i = (int)((long)k * v.Length / count);
            double saved = v[i];
            v[i] = saved + epsilon;
            double plus = evaluate();
            v[i] = saved - epsilon;
            double minus = evaluate();
            v[i] = saved;
            double numeric = (plus - minus) / (2 * epsilon);
            double a = analytic.Span[i];
            double error = Math.Abs(a - numeric);
            maxAbs = Math.Max(maxAbs, error);
            double scale = Math.Max(Math.Abs(a), Math.Abs(numeric));
            if (scale > 1e-12)
                maxRel = Math.Max(maxRel, error / scale);
            if (!(error <= atol + rtol * Math.Abs(numeric)))
                passed = false;
        }
        return new TensorCheck(name, maxAbs, maxRel, passed, count);
    }
}
