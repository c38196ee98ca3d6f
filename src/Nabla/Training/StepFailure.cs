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
}

/// <summary>
/// The first non-finite value of a training step: its <see cref="Kind"/> and what it belongs to (<c>"0.weight"</c>,
/// <c>"layer 1 (Tanh)"</c>; empty for the loss). The step was not applied.
/// </summary>
/// <param name="Kind">Where in the step it appeared.</param>
/// <param name="Subject">The parameter or layer it belongs to; empty for <see cref="StepFailureKind.Loss"/>.</param>
public sealed record StepFailure(StepFailureKind Kind, string Subject)
{
    /// <summary>The loss was the first non-finite value.</summary>
    public static StepFailure Loss { get; } = new(StepFailureKind.Loss, "");

    /// <summary>Whether <see cref="DivergencePolicy.SkipBatch"/> may leave the weights as they were and go on.</summary>
    public bool CanSkip => Kind != StepFailureKind.Parameter;

    /// <summary>In words, as messages and <see cref="History.SkippedBatches"/> give it: <c>loss</c>, <c>output of layer 1 (Tanh)</c>, <c>gradient of 0.weight</c>, <c>parameter 0.weight</c>.</summary>
    public override string ToString() => Kind switch
    {
        StepFailureKind.Loss => "loss",
        StepFailureKind.LayerOutput => $"output of {Subject}",
        StepFailureKind.Gradient => $"gradient of {Subject}",
        _ => $"parameter {Subject}",
    };
}
