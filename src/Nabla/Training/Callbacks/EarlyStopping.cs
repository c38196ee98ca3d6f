using System.Numerics;
using Nabla.Layers;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Stops training when the monitored value (<see cref="MonitoredMetric"/>: the validation loss by default, else
/// the validation accuracy; each the training one without validation data) has not improved by more than
/// <see cref="MinDelta"/> for <see cref="Patience"/> epochs, and optionally puts back the weights of the best epoch.
/// </summary>
public sealed class EarlyStopping<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _best;
    private int _bestEpoch;
    private int _wait;
    private ModelState<T>? _bestWeights;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Epochs without improvement before stopping (≥ 1).</param>
    /// <param name="minDelta">An improvement must beat the best value by more than this (≥ 0).</param>
    /// <param name="restoreBestWeights">Put back the best epoch's weights at the end.</param>
    /// <param name="monitor">What to watch; <see cref="MonitoredMetric.ValidationLoss"/> when null.</param>
    public EarlyStopping(int patience, double minDelta = 0, bool restoreBestWeights = true, MonitoredMetric? monitor = null)
    {
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), $"Expected a patience of at least 1 epoch; received {patience}.");
        if (!(minDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(minDelta), $"Expected a minimum improvement ≥ 0; received {minDelta}.");
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
        Monitor = monitor ?? MonitoredMetric.ValidationLoss;
        _best = Monitor.Worst;
    }

    /// <summary>What is watched.</summary>
    public MonitoredMetric Monitor { get; }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>An improvement must beat the best monitored value by more than this.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the best monitored value so far (0 before the first epoch).</summary>
    public int BestEpoch => _bestEpoch;

    /// <summary>The callback's state after the last completed epoch, for a checkpoint.</summary>
    public EarlyStoppingState<T> ExportState() => new(_best, _bestEpoch, _wait, _bestWeights);

    /// <summary>
    /// Continues from <paramref name="state"/> (saved by <see cref="ExportState"/>), as when resuming a run from a checkpoint.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The state is inconsistent: a NaN best loss, a negative epoch or wait, best weights although this callback does not
    /// restore them, or none although it does and an epoch has ended.
    /// </exception>
    public void ImportState(EarlyStoppingState<T> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string? problem = state switch
        {
            { Best: double.NaN } => "the best loss is NaN",
            { BestEpoch: < 0 } or { Wait: < 0 } => $"best epoch {state.BestEpoch} and wait {state.Wait}; expected 0 or more",
            { BestWeights: not null } when !RestoreBestWeights => "it holds best weights, but this callback does not restore them",
            { BestWeights: null, BestEpoch: > 0 } when RestoreBestWeights => $"it lacks the weights of the best epoch {state.BestEpoch}",
            _ => null,
        };
        if (problem is not null)
            throw new ArgumentException($"Cannot continue early stopping from this state: {problem}.", nameof(state));
        _best = state.Best;
        _bestEpoch = state.BestEpoch;
        _wait = state.Wait;
        _bestWeights = state.BestWeights is { } best
            ? best with { Values = best.Values.ToDictionary(p => p.Key, p => (T[])p.Value.Clone(), StringComparer.Ordinal) }
            : null;
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        var record = context.History.Last;
        double monitored = Monitor.Value(record);
        if (Monitor.Improves(monitored, _best, MinDelta))
        {
            _best = monitored;
            _bestEpoch = record.Epoch;
            _wait = 0;
            if (RestoreBestWeights)
                _bestWeights = context.Model.SnapshotState();
            return;
        }
        if (++_wait >= Patience)
            context.Stop($"early stopping: no improvement of {Monitor.NameIn(record)} for {Patience} epochs (best at epoch {_bestEpoch})");
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext<T> context)
    {
        // An interrupted run is saved to be resumed, so it keeps the weights it has.
        if (context.Interrupted || _bestWeights is null || _bestEpoch == context.History.Last.Epoch)
            return;
        context.Model.RestoreState(_bestWeights);
        context.History.BestEpoch = _bestEpoch;
    }
}
