using System.Numerics;
using Nabla.Data;
using Nabla.Optimizers;

namespace Nabla.Training;

/// <summary>How <see cref="Trainer{T}.Fit"/> runs. The defaults train 10 epochs of full-batch gradient descent.</summary>
public sealed class TrainingOptions<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per mini-batch; null means the full batch (every sample in one step).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seed of the shuffling (and of the validation split).</summary>
    public ulong Seed { get; init; }

    /// <summary>Reshuffle the samples every epoch (ignored for the full batch, where order does not matter).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Data evaluated after every epoch, never trained on.</summary>
    public Dataset<T>? Validation { get; init; }

    /// <summary>
    /// The learning rate of each epoch (and of each step, for per-step schedules); constant by default. The base rate
    /// is the optimizer's when <c>Fit</c> starts; the history records the rate each epoch starts with.
    /// </summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>What a schedule that learns from the run (<see cref="PlateauSchedule"/>) observes after each epoch; the validation loss by default.</summary>
    public MonitoredMetric Monitor { get; init; } = MonitoredMetric.ValidationLoss;

    /// <summary>Record every parameter value after every iteration into <see cref="History.ParameterValues"/>.</summary>
    public bool RecordParameters { get; init; }

    /// <summary>What to do when a step produces a NaN or an infinity.</summary>
    public DivergencePolicy OnDivergence { get; init; } = DivergencePolicy.Stop;

    /// <summary>Continue a run from a checkpoint instead of starting at epoch 1.</summary>
    public TrainingState? InitialState { get; init; }

    /// <summary>
    /// Cancel it to stop early but resumably: the current batch finishes, <c>Fit</c> returns with
    /// <see cref="TrainingContext{T}.Interrupted"/> set (callbacks see it in <c>OnTrainEnd</c>, where
    /// <see cref="TrainingContext{T}.State"/> is the state to resume from, even in the middle of an epoch).
    /// </summary>
    public CancellationToken Interrupt { get; init; }

    /// <summary>Callbacks, called in order.</summary>
    public IReadOnlyList<ITrainingCallback<T>> Callbacks { get; init; } = [];

    internal void Validate(Dataset<T> train)
    {
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), $"Expected at least 1 epoch; received {Epochs}.");
        if (BatchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), $"Expected a batch size of at least 1 (or the full batch); received {BatchSize}.");
        if (InitialState is { } state && (state.CompletedEpochs < 0 || state.CompletedEpochs != state.History.Epochs.Count || state.InProgress is { CompletedBatches: < 1 }))
            throw new ArgumentException($"The training state says {state.CompletedEpochs} epochs (and {state.InProgress?.CompletedBatches ?? 0} batches) are done; its history holds {state.History.Epochs.Count} epochs, and a partly done epoch needs at least 1 batch.");
        if (Monitor.Maximize && !train.IsClassification)
            throw new ArgumentException($"Monitoring {Monitor.Name} needs class labels; '{train.Name}' is a regression dataset, so monitor val_loss.");
        if (train.Count == 0)
            throw new ArgumentException($"The training data '{train.Name}' has no samples.");
        if (Validation is { } v && (v.FeatureCount != train.FeatureCount || v.TargetCount != train.TargetCount))
            throw new ArgumentException(
                $"The validation data has {v.FeatureCount} features and {v.TargetCount} targets; the training data has {train.FeatureCount} and {train.TargetCount}.");
    }
}
