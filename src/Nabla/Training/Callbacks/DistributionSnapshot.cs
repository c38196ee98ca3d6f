namespace Nabla.Training.Callbacks;

/// <summary>Every recorded tensor's <see cref="ValueDistribution"/> after <see cref="Step"/> optimizer steps.</summary>
/// <param name="Step">Optimizer steps taken so far in the run (0: the initial weights).</param>
/// <param name="Epoch">The epoch of the last step (1-based; the epochs already done before the first step).</param>
/// <param name="Values">The parameters' distributions, then the layer outputs', in layer order.</param>
public sealed record DistributionSnapshot(int Step, int Epoch, IReadOnlyList<ValueDistribution> Values);
