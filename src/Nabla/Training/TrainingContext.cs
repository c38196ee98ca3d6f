using System.Numerics;
using Nabla.Layers;
using Nabla.Optimizers;

namespace Nabla.Training;

/// <summary>The state of a running <see cref="Trainer{T}.Fit"/>, as callbacks see it.</summary>
public sealed class TrainingContext<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Rng _rng;

    internal TrainingContext(Sequential<T> model, IOptimizer<T> optimizer, History history, Rng rng, int totalEpochs, int batchesPerEpoch)
    {
        _rng = rng;
        Model = model;
        Optimizer = optimizer;
        History = history;
        TotalEpochs = totalEpochs;
        BatchesPerEpoch = batchesPerEpoch;
    }

    /// <summary>The model being trained.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The optimizer.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>What has been recorded so far.</summary>
    public History History { get; }

    /// <summary>The current epoch, 1-based.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Number of epochs asked for.</summary>
    public int TotalEpochs { get; }

    /// <summary>The current batch within the epoch, 1-based.</summary>
    public int Batch { get; internal set; }

    /// <summary>Number of batches in an epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Samples in the current batch.</summary>
    public int BatchSize { get; internal set; }

    /// <summary>The loss of the current batch.</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>
    /// The state to save in a checkpoint: call it from <c>OnEpochEnd</c> (the end of an epoch) or, after an
    /// interrupt, from <c>OnTrainEnd</c> (then it records how far the unfinished epoch got).
    /// </summary>
    public TrainingState State => Progress is { } progress
        ? new(History.Epochs.Count, EpochStartRngState, History, progress)
        : new(History.Epochs.Count, _rng.State, History);

    /// <summary>True when <see cref="TrainingOptions{T}.Interrupt"/> stopped the run before its last epoch.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>The generator's state before the current epoch's shuffle.</summary>
    internal ulong[] EpochStartRngState { get; set; } = [];

    /// <summary>How far the current epoch got when it was interrupted, else null.</summary>
    private EpochProgress? Progress { get; set; }

    /// <summary>Marks the run interrupted, in the middle of an epoch when <paramref name="progress"/> is given.</summary>
    internal void Interrupt(EpochProgress? progress)
    {
        Interrupted = true;
        Progress = progress;
        History.StopReason = StopReason.Interrupted;
    }

    /// <summary>True once a callback has called <see cref="Stop"/>.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Ends training after the current epoch; <paramref name="reason"/> goes into the history.</summary>
    public void Stop(string reason)
    {
        StopRequested = true;
        History.StopReason = new StopReason(StopKind.Requested, reason);
    }
}
