namespace Nabla.Training;

/// <summary>What <see cref="Trainer{T}.Fit"/> does when a step produces a NaN or an infinity.</summary>
public enum DivergencePolicy
{
    /// <summary>Throw <see cref="TrainingDivergedException"/> (the default).</summary>
    Stop,

    /// <summary>Leave the weights as they were, count the batch in <see cref="History.SkippedBatches"/>, and go on. Still stops if a parameter itself is no longer finite.</summary>
    SkipBatch,
}
