using System.Numerics;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Any state (velocities, moments) lives in the optimizer,
/// keyed by parameter, never in the layers.
/// </summary>
public interface IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The step size α used by the next <see cref="Step"/>; a schedule may change it between epochs.</summary>
    double LearningRate { get; set; }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    void Step(IReadOnlyList<Parameter<T>> parameters);
}
