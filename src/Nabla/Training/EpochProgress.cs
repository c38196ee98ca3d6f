namespace Nabla.Training;

/// <summary>
/// How far an interrupted epoch got: the batches already trained and the running sums its
/// <see cref="EpochRecord"/> is computed from, so a resumed run finishes the epoch exactly as an
/// uninterrupted one would.
/// </summary>
/// <param name="CompletedBatches">Batches of the epoch already trained (or skipped), 1 or more.</param>
/// <param name="LossSum">Sum over the trained samples of their batch's loss.</param>
/// <param name="Correct">Trained samples classified correctly (0 for regression).</param>
/// <param name="Trained">Samples trained so far in the epoch.</param>
/// <param name="Seconds">Time spent on the epoch so far.</param>
public sealed record EpochProgress(int CompletedBatches, double LossSum, int Correct, int Trained, double Seconds);
