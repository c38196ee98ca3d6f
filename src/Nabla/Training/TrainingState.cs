namespace Nabla.Training;

/// <summary>
/// Where a run stood, so <see cref="Trainer{T}.Fit"/> can continue it exactly: the epochs completed, the
/// shuffling generator's state and the history so far, and, when the run was interrupted in the middle of
/// an epoch, how far that epoch got (then <see cref="RngState"/> is the state at the start of that epoch,
/// so its shuffle is drawn again and its trained batches are skipped). The model's weights and the
/// optimizer's state are restored separately, into the objects the trainer is given.
/// </summary>
/// <param name="CompletedEpochs">Epochs fully trained.</param>
/// <param name="RngState">The shuffling generator's state at the start of epoch <c>CompletedEpochs + 1</c>.</param>
/// <param name="History">What was recorded so far.</param>
/// <param name="InProgress">How far epoch <c>CompletedEpochs + 1</c> got, or null when it has not started.</param>
public sealed record TrainingState(int CompletedEpochs, ulong[] RngState, History History, EpochProgress? InProgress = null);
