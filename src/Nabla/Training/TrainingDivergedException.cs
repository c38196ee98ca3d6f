namespace Nabla.Training;

/// <summary>
/// Training produced a NaN or an infinity: in the loss, a layer's output, a gradient or a parameter (the step that
/// found it was not applied); or the training loss grew more than <see cref="StepFailure.MaxLossGrowth"/>-fold. The
/// CLI maps this to exit code 4.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step at <paramref name="epoch"/> and <paramref name="batch"/> (1-based; 0 when outside <c>Fit</c>).</summary>
    public TrainingDivergedException(int epoch, int batch, StepFailure failure, History? history = null)
        : base(failure.Kind == StepFailureKind.LossGrowth
            ? $"Training diverged at epoch {epoch}: the {failure}, more than {StepFailure.MaxLossGrowth:0}-fold, though it stayed finite. Try a smaller learning rate or scaled inputs."
            : epoch > 0
                ? $"Training diverged at epoch {epoch}, batch {batch}: {failure} became NaN or infinite. Try a smaller learning rate or gradient clipping."
                : $"Training diverged: {failure} became NaN or infinite.")
    {
        Epoch = epoch;
        Batch = batch;
        Failure = failure;
        History = history;
    }

    /// <summary>The epoch of the failing step, 1-based (0 outside <c>Fit</c>).</summary>
    public int Epoch { get; }

    /// <summary>The batch of the failing step within its epoch, 1-based (0 outside <c>Fit</c>).</summary>
    public int Batch { get; }

    /// <summary>The first place the non-finite value was seen.</summary>
    public StepFailure Failure { get; }

    /// <summary>What was recorded before the failure, when it happened inside <c>Fit</c>.</summary>
    public History? History { get; }
}
