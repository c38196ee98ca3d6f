namespace Nabla.Cli;

/// <summary>The training loss became NaN or infinite at <paramref name="epoch"/>, <paramref name="batch"/>. Exit code 4.</summary>
internal sealed class TrainingDivergedException(int epoch, int batch, int batches, double loss)
    : Exception($"Training diverged: the loss became {loss} at epoch {epoch}, batch {batch} of {batches}. " +
                "Try a smaller --learning-rate (or --optimizer adam), or scale the inputs with --scale standard.")
{
    /// <summary>The epoch (1-based) where the loss stopped being finite.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The batch (1-based) within the epoch.</summary>
    public int Batch { get; } = batch;
}
