using System.Numerics;

namespace Nabla.Training;

/// <summary>
/// Stops training when the monitored loss (validation loss when there is validation data, else the
/// training loss) has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/>
/// epochs, and optionally puts back the weights of the best epoch.
/// </summary>
public sealed class EarlyStopping<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private double _best = double.PositiveInfinity;
    private int _bestEpoch;
    private int _wait;
    private Dictionary<string, T[]>? _bestWeights;

    /// <summary>Creates the callback.</summary>
    public EarlyStopping(int patience, double minDelta = 0, bool restoreBestWeights = true)
    {
        if (patience < 1)
            throw new ArgumentOutOfRangeException(nameof(patience), $"Expected a patience of at least 1 epoch; received {patience}.");
        if (!(minDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(minDelta), $"Expected a minimum improvement ≥ 0; received {minDelta}.");
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>An improvement must lower the monitored loss by more than this.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the lowest monitored loss so far (0 before the first epoch).</summary>
    public int BestEpoch => _bestEpoch;

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        var record = context.History.Last;
        double monitored = record.ValidationLoss ?? record.Loss;
        if (monitored < _best - MinDelta)
        {
            _best = monitored;
            _bestEpoch = record.Epoch;
            _wait = 0;
            if (RestoreBestWeights)
                _bestWeights = context.Model.SnapshotParameters();
            return;
        }
        if (++_wait >= Patience)
            context.Stop($"early stopping: no improvement of {(record.ValidationLoss is null ? "loss" : "val_loss")} for {Patience} epochs (best at epoch {_bestEpoch})");
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext<T> context)
    {
        // An interrupted run is saved to be resumed, so it keeps the weights it has.
        if (context.Interrupted || _bestWeights is null || _bestEpoch == context.History.Last.Epoch)
            return;
        context.Model.RestoreParameters(_bestWeights);
        context.History.BestEpoch = _bestEpoch;
    }
}
