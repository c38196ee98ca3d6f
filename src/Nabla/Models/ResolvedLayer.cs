using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>One layer of an <see cref="Architecture"/> with the shapes it maps: its complete spec, its kind, its per-sample input and output shapes.</summary>
/// <param name="Index">Its position in the network (the prefix of its tensors' names).</param>
/// <param name="Spec">The spec with every inferred option filled in.</param>
/// <param name="Kind">The spec's kind.</param>
/// <param name="Input">The per-sample shape it receives.</param>
/// <param name="Output">The per-sample shape it produces.</param>
public sealed record ResolvedLayer(int Index, LayerSpec Spec, LayerKind Kind, SampleShape Input, SampleShape Output)
{
    /// <summary>The tensors the layer carries, named as in the model file (<c>"3.weight"</c>).</summary>
    public IEnumerable<TensorSpec> Tensors => Kind.Tensors(Spec, Input).Select(t => t with { Name = $"{Index}.{t.Name}" });
}
