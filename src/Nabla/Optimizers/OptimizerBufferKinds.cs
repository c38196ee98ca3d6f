namespace Nabla.Optimizers;

/// <summary>
/// The kinds of per-parameter buffer Nabla's optimizers keep and export (<see cref="Optimizer{T}.ExportState"/> names a
/// buffer <c>{kind}.{parameter}</c>), so a reader of saved state can refuse a buffer no optimizer writes.
/// </summary>
public static class OptimizerBufferKinds
{
    /// <summary>SGD's <c>velocity</c>; Adam's and AdamW's <c>m</c>, <c>v</c>; Adagrad's <c>sum</c>; RMSprop's <c>square_avg</c>, <c>grad_avg</c>, <c>momentum_buffer</c>.</summary>
    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>(["velocity", "m", "v", "sum", "square_avg", "grad_avg", "momentum_buffer"], StringComparer.Ordinal);
}
