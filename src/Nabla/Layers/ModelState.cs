using System.Numerics;

namespace Nabla.Layers;

/// <summary>
/// A copy of a network's state by name: what a model file stores (the parameters' and buffers' values by
/// <c>state_dict</c> name, and the counters), and what only a checkpoint needs, each layer's random generator.
/// </summary>
/// <param name="Values">Each parameter and buffer, row-major.</param>
/// <param name="Counters">Each counter (<c>num_batches_tracked</c>).</param>
/// <param name="Random">Each layer's own generator state (dropout), by the layer's index.</param>
public sealed record ModelState<T>(IReadOnlyDictionary<string, T[]> Values, IReadOnlyDictionary<string, long> Counters,
    IReadOnlyDictionary<string, ulong[]> Random)
    where T : unmanaged, IFloatingPointIeee754<T>;
