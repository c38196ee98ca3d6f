namespace Nabla.Training;

/// <summary>
/// Where a run stood at the end of an epoch, so <see cref="Trainer{T}.Fit"/> can continue it exactly:
/// the epochs completed, the shuffling generator's state and the history so far. The model's
/// weights and the optimizer's state are restored separately, into the objects the trainer is given.
/// </summary>
public sealed record TrainingState(int CompletedEpochs, ulong[] RngState, History History);
