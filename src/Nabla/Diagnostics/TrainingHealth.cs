using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Losses;
using Nabla.Tensors;
using Nabla.Training.Callbacks;

namespace Nabla.Diagnostics;

/// <summary>
/// Whether a trained network is in a state that learns: for each weight (dense or convolution) the gradient norm
/// <c>‖∂L/∂W‖</c> on a probe batch and the last update relative to the weights <c>‖ΔW‖/‖W‖</c>; for each
/// ReLU-like layer the share of dead units (zero for every probe sample); for each tanh or sigmoid layer the
/// share of saturated outputs (<c>|a| &gt; 0.99</c> for tanh, <c>a</c> within 0.01 of 0 or 1 for sigmoid,
/// where the derivative is nearly zero). Out-of-range values carry a plain-language warning.
/// </summary>
public sealed class TrainingHealth
{
    /// <summary>Below this gradient norm a layer has all but stopped learning.</summary>
    public const double MinGradientNorm = 1e-6;

    /// <summary>Above this gradient norm steps are likely to overshoot.</summary>
    public const double MaxGradientNorm = 1e2;

    /// <summary>Above this update/weight ratio the learning rate is likely too high (about 1e-3 is typical).</summary>
    public const double MaxUpdateRatio = 1e-2;

    /// <summary>Below this update/weight ratio the weights barely move.</summary>
    public const double MinUpdateRatio = 1e-7;

    /// <summary>Above this share of dead ReLU units the layer has lost much of its capacity.</summary>
    public const double MaxDeadShare = 0.5;

    /// <summary>Above this share of saturated tanh/sigmoid outputs gradients vanish through the layer.</summary>
    public const double MaxSaturatedShare = 0.3;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private TrainingHealth(IReadOnlyList<HealthCheck> checks) => Checks = checks;

    /// <summary>Every measured quantity, layer by layer.</summary>
    public IReadOnlyList<HealthCheck> Checks { get; }

    /// <summary>The warnings, in layer order; empty when everything is in range.</summary>
    public IReadOnlyList<string> Warnings => [.. Checks.Where(c => c.Warning is not null).Select(c => $"{c.Name}: {c.Warning}")];

    /// <summary>
    /// Measures <paramref name="model"/> on the probe batch <paramref name="x"/>, <paramref name="y"/> (a forward and
    /// backward pass; the weights are not changed and the gradients are left zeroed). The update/weight ratio is
    /// reported when <paramref name="updateRatios"/> gives it (the last step's of the epoch whose weights the model has,
    /// from a <see cref="WeightUpdates{T}"/> callback), else when <paramref name="weightsBeforeLastStep"/> are given.
    /// </summary>
    public static TrainingHealth Measure<T>(Sequential<T> model, ILoss<T> loss, Matrix<T> x, Matrix<T> y,
        IReadOnlyDictionary<string, T[]>? weightsBeforeLastStep = null, IReadOnlyDictionary<string, double>? updateRatios = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        model.ZeroGradients();
        var outputs = model.ForwardAll(x);
        loss.Forward(outputs[^1], y);
        model.Backward(loss.Backward());

        var checks = new List<HealthCheck>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            string name = $"layer {i} ({layer.Kind.Name})";
            switch (layer.Kind.Health)
            {
                case ActivationHealth.DeadUnits:
                    checks.Add(Check(name, "dead units", DeadShare(outputs[i]), "at most 50%", v => v > MaxDeadShare,
                        "more than half of the units output zero for every probe sample and no longer learn; try a lower learning rate, --init he or --activation leaky-relu"));
                    break;
                case ActivationHealth.SaturatesAtOne:
                    checks.Add(Saturation(name, outputs[i], a => T.Abs(a) > T.CreateChecked(0.99)));
                    break;
                case ActivationHealth.SaturatesAtZeroAndOne:
                    checks.Add(Saturation(name, outputs[i], a => a < T.CreateChecked(0.01) || a > T.CreateChecked(0.99)));
                    break;
            }
        }
        foreach (var (name, p) in model.NamedParameters.Where(p => p.Parameter.Decays))
        {
            checks.Add(Check(name, "gradient norm", Norm<T>(p.Gradient.Span), "1e-6 to 1e2", v => v < MinGradientNorm || v > MaxGradientNorm,
                v => v < MinGradientNorm
                    ? "the gradient has vanished, so this layer barely learns; try --activation relu, --init he, --scale standard or fewer layers"
                    : "the gradient is very large, so steps may overshoot; lower the learning rate or scale the inputs"));
            double? ratio = updateRatios?.TryGetValue(name, out double r) == true ? r
                : weightsBeforeLastStep?.GetValueOrDefault(name) is { } before ? WeightUpdates<T>.UpdateRatio(p.Value.Span, before) : null;
            if (ratio is { } value)
                checks.Add(Check(name, "update/weight ratio", value, "1e-7 to 1e-2", v => v < MinUpdateRatio || v > MaxUpdateRatio,
                    v => v > MaxUpdateRatio
                        ? "each step changes the weights by more than 1% of their size; the learning rate is likely too high"
                        : "the weights barely move; the learning rate may be too low, or training has stalled"));
        }
        model.ZeroGradients();
        return new TrainingHealth(checks);
    }

    /// <summary>The summary as indented JSON: <c>{"checks": [{"name", "quantity", "value", "healthy", "warning"}], "warnings": [...]}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(new { checks = Checks, warnings = Warnings }, JsonOptions);

    /// <summary>The summary as aligned text lines, one per check, then the warnings.</summary>
    public override string ToString()
    {
        var lines = Checks.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Name,-18} {c.Quantity,-20} {c.FormattedValue,10}  {(c.Warning is null ? "ok" : "WARNING")}"));
        return string.Join('\n', lines.Concat(Warnings.Select(w => "warning: " + w)));
    }

    /// <summary>The share of units (columns) that are zero for every sample (row).</summary>
    internal static double DeadShare<T>(Matrix<T> activations) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activations.Cols == 0)
            return 0;
        int dead = 0;
        for (int c = 0; c < activations.Cols; c++)
        {
            bool alive = false;
            for (int r = 0; r < activations.Rows && !alive; r++)
                alive = activations[r, c] > T.Zero;
            if (!alive)
                dead++;
        }
        return (double)dead / activations.Cols;
    }

    private static HealthCheck Saturation<T>(string name, Matrix<T> activations, Func<T, bool> saturated) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = 0;
        foreach (var a in activations.Span)
            if (saturated(a))
                count++;
        double share = activations.Length == 0 ? 0 : (double)count / activations.Length;
        return Check(name, "saturated units", share, "at most 30%", v => v > MaxSaturatedShare,
            "many outputs sit where the activation is flat, so gradients vanish through this layer; try --scale standard, a lower learning rate or --activation relu");
    }

    private static HealthCheck Check(string name, string quantity, double value, string healthy, Func<double, bool> outOfRange, string warning) =>
        Check(name, quantity, value, healthy, outOfRange, _ => warning);

    private static HealthCheck Check(string name, string quantity, double value, string healthy, Func<double, bool> outOfRange, Func<double, string> warning) =>
        new(name, quantity, value, healthy, outOfRange(value) ? warning(value) : null);

    private static double Norm<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        Math.Sqrt(double.CreateChecked(TensorPrimitives.SumOfSquares(values)));
}
