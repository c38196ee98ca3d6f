using System.Numerics;

namespace Nabla.Optimizers;

/// <summary>
/// What an optimizer remembers between steps, keyed by parameter name instead of by object, so it can
/// be saved in a checkpoint and put back into a fresh optimizer for a rebuilt model: the step count and
/// named buffers such as <c>"velocity.0.weight"</c> (SGD) or <c>"m.0.weight"</c> and <c>"v.0.weight"</c> (Adam),
/// each as long as its parameter.
/// </summary>
/// <param name="Steps">Steps taken so far (Adam's bias correction and Adagrad's rate decay depend on it).</param>
/// <param name="Buffers">Each buffer by name, row-major like its parameter.</param>
public sealed record OptimizerState<T>(long Steps, IReadOnlyDictionary<string, T[]> Buffers) where T : unmanaged, IFloatingPointIeee754<T>;
