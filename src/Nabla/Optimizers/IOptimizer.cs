using System.Numerics;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Any state (velocities, moments) lives in the optimizer,
/// keyed by parameter, never in the layers.
/// </summary>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The step size α used by the next <see cref="Step"/>; a schedule may change it between epochs or steps.</summary>
    double LearningRate { get; set; }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    void Step(IReadOnlyList<Parameter<T>> parameters);

    /// <summary>
    /// A copy of the state (step count and buffers) for the named <paramref name="parameters"/>, each buffer named
    /// <c>"{kind}.{parameter name}"</c>, for a checkpoint.
    /// </summary>
    OptimizerState<T> ExportState(IReadOnlyList<(string Name, Parameter<T> Parameter)> parameters);

    /// <summary>Replaces the state with one from <see cref="ExportState"/>, so the next step continues where the exporting optimizer would have.</summary>
    /// <exception cref="ArgumentException">A buffer names no parameter or kind of this optimizer, or its length differs from its parameter's.</exception>
    void ImportState(OptimizerState<T> state, IReadOnlyList<(string Name, Parameter<T> Parameter)> parameters);
}
