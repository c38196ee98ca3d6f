using System.Numerics;
using Nabla.Layers;

namespace Nabla.Training.Callbacks;

/// <summary>
/// What an <see cref="EarlyStopping{T}"/> callback remembers between epochs, so a checkpoint can save it and a
/// resumed run can carry on with the same patience count and best weights as an uninterrupted one.
/// </summary>
/// <param name="Best">The best monitored value so far (the worst possible, ±∞, before the first epoch).</param>
/// <param name="BestEpoch">The epoch that reached <paramref name="Best"/> (0 before the first epoch).</param>
/// <param name="Wait">Epochs since the last improvement.</param>
/// <param name="BestWeights">
/// The network's state at <paramref name="BestEpoch"/> (parameters, buffers, counters); null when the callback does
/// not restore the best weights or no epoch has ended yet.
/// </param>
public sealed record EarlyStoppingState<T>(double Best, int BestEpoch, int Wait, ModelState<T>? BestWeights)
    where T : unmanaged, IFloatingPointIeee754<T>;
