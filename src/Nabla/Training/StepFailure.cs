namespace Nabla.Training;

/// <summary>Where a training step first met a NaN or an infinity.</summary>
public enum StepFailureKind
{
    /// <summary>The loss value; every layer's output before it was finite.</summary>
    Loss,

    /// <summary>A layer's output in the forward pass.</summary>
    LayerOutput,

    /// <summary>A parameter's gradient in the backward pass.</summary>
    Gradient,

    /// <summary>A parameter's values themselves: no later step can recover from it, so even <see cref="DivergencePolicy.SkipBatch"/> stops.</summary>
    Parameter,

    /// <summary>
    /// An epoch's training loss, still finite, grew more than <see cref="StepFailure.MaxLossGrowth"/> times the first
    /// epoch's: the steps overshoot and no batch is to blame, so even <see cref="DivergencePolicy.SkipBatch"/> stops.
    /// </summary>
    LossGrowth,
}

/// <summary>
/// The first non-finite value of a training step: its <see cref="Kind"/> and what it belongs to (<c>"0.weight"</c>,
/// <c>"layer 1 (Tanh)"</c>; empty for the loss). The step was not applied. Or, checked after each epoch, a loss that
/// grew out of bounds (<see cref="StepFailureKind.LossGrowth"/>; the subject gives the two losses).
/// </summary>
/// <param name="Kind">Where in the step it appeared.</param>
/// <param name="Subject">The parameter or layer it belongs to; empty for <see cref="StepFailureKind.Loss"/>; the growth in words for <see cref="StepFailureKind.LossGrowth"/>.</param>
public sealed record StepFailure(StepFailureKind Kind, string Subject)
{
    /// <summary>An epoch's training loss above this many times the first epoch's is divergence, though it is finite.</summary>
    public const double MaxLossGrowth = 1000;

    /// <summary>The loss was the first non-finite value.</summary>
    public static StepFailure Loss { get; } = new(StepFailureKind.Loss, "");

    /// <summary>Whether <see cref="DivergencePolicy.SkipBatch"/> may leave the weights as they were and go on.</summary>
    public bool CanSkip => Kind is not (StepFailureKind.Parameter or StepFailureKind.LossGrowth);

    /// <summary>
    /// A <see cref="StepFailureKind.LossGrowth"/> when the last epoch of <paramref name="history"/> has a training loss above
    /// <see cref="MaxLossGrowth"/> times the first epoch's, else null.
    /// </summary>
    public static StepFailure? LossGrowthIn(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Epochs.Count < 2 || history.Epochs[0].Loss is not (> 0 and var first) || !(history.Last.Loss > MaxLossGrowth * first))
            return null;
        return new StepFailure(StepFailureKind.LossGrowth, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"from {first:G4} in epoch 1 to {history.Last.Loss:G4} in epoch {history.Last.Epoch}"));
    }

    /// <summary>
    /// In words, as messages and <see cref="History.SkippedBatches"/> give it: <c>loss</c>, <c>output of layer 1 (Tanh)</c>,
    /// <c>gradient of 0.weight</c>, <c>parameter 0.weight</c>, <c>training loss grew from 2.3 in epoch 1 to 5021 in epoch 6</c>.
    /// </summary>
    public override string ToString() => Kind switch
    {
        StepFailureKind.Loss => "loss",
        StepFailureKind.LayerOutput => $"output of {Subject}",
        StepFailureKind.Gradient => $"gradient of {Subject}",
        StepFailureKind.LossGrowth => $"training loss grew {Subject}",
        _ => $"parameter {Subject}",
    };
}
