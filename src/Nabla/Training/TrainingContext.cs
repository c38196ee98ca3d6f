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

    /// <summary>The state to save in a checkpoint at the end of the current epoch (call it from <c>OnEpochEnd</c>).</summary>
    public TrainingState State => new(History.Epochs.Count, _rng.State, History);

    /// <summary>True once a callback has called <see cref="Stop"/>.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>Ends training after the current epoch; <paramref name="reason"/> goes into the history.</summary>
    public void Stop(string reason)
    {
        StopRequested = true;
        History.StopReason = reason;
    }
}
