using System.Numerics;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Records how each layer's weights, biases, net inputs and activations are distributed as training goes on (seed 004:
/// "the min, max, mean, standard deviation and a histogram of each"): before the first step, then every
/// <see cref="EverySteps"/> steps or after every epoch. Parameters are measured whole; net inputs (the outputs of
/// <see cref="LayerRole.Affine"/> layers) and activations on a fixed probe batch run in evaluation mode, which changes no
/// state of the model, so the training's bits are those of a run without it.
/// </summary>
/// <example><code>
/// var distributions = new LayerDistributions&lt;float&gt;(validation.Features, everySteps: 100);
/// trainer.Fit(train, new TrainingOptions&lt;float&gt; { Epochs = 5, BatchSize = 50, Callbacks = [distributions] });
/// // distributions.Snapshots[k].Values: "0.weight", "0.bias", …, "0 Conv2d" (net input), "1 ReLU" (activation), …
/// </code></example>
public sealed class LayerDistributions<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Histogram bins per tensor by default (fewer for tensors of fewer than 1,600 values).</summary>
    public const int DefaultBins = 40;

    private readonly List<DistributionSnapshot> _snapshots = [];
    private readonly Matrix<T> _probe;
    private readonly int _bins;

    /// <summary>Measures on <paramref name="probe"/> (one sample per row, as the model takes them) every <paramref name="everySteps"/> steps, or after each epoch when null.</summary>
    /// <exception cref="ArgumentException">The probe has no rows, <paramref name="everySteps"/> or <paramref name="bins"/> is below 1.</exception>
    public LayerDistributions(Matrix<T> probe, int? everySteps = null, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (probe.Rows == 0)
            throw new ArgumentException("Expected a probe batch of at least one sample; received none.", nameof(probe));
        if (everySteps is < 1)
            throw new ArgumentException($"Expected to record every 1 or more steps; received {everySteps}.", nameof(everySteps));
        if (bins < 1)
            throw new ArgumentException($"Expected at least 1 histogram bin; received {bins}.", nameof(bins));
        _probe = probe;
        EverySteps = everySteps;
        _bins = bins;
    }

    /// <summary>Steps between snapshots, or null for one after each epoch.</summary>
    public int? EverySteps { get; }

    /// <summary>The snapshots, the first of the weights before training (or at the resumed step).</summary>
    public IReadOnlyList<DistributionSnapshot> Snapshots => _snapshots;

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext<T> context) => Record(context, context.History.Epochs.Count);

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<T> context)
    {
        if (EverySteps is { } every && context.History.IterationLoss.Count % every == 0)
            Record(context, context.Epoch);
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        if (EverySteps is null)
            Record(context, context.Epoch);
    }

    /// <summary>The bins for <paramref name="count"/> values: the square root of the count (a bias of 32 gets 5), at most the configured number.</summary>
    private int Bins(int count) => Math.Clamp((int)Math.Sqrt(count), 1, _bins);

    private void Record(TrainingContext<T> context, int epoch)
    {
        var values = new List<ValueDistribution>();
        var layers = context.Model.Layers;
        for (int i = 0; i < layers.Count; i++)
            foreach (var p in layers[i].Parameters)
                values.Add(ValueDistribution.Of($"{i}.{p.Name}", p.Role.ToString().ToLowerInvariant(), i, p.Value.Span, Bins(p.Value.Length)));
        var x = _probe;
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].Forward(x, training: false);
            string? quantity = layers[i].Kind.Role switch
            {
                LayerRole.Affine => "net input",
                LayerRole.Activation => "activation",
                _ => null,
            };
            if (quantity is not null)
                values.Add(ValueDistribution.Of($"{i} {layers[i].Kind.Name}", quantity, i, x.Span, Bins(x.Length)));
        }
        _snapshots.Add(new DistributionSnapshot(context.History.IterationLoss.Count, epoch, values));
    }
}
