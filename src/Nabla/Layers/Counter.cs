namespace Nabla.Layers;

/// <summary>
/// A non-trainable integer a layer counts with (batch norm's <c>num_batches_tracked</c>): a scalar stored as
/// int64, as PyTorch stores it.
/// </summary>
public sealed class Counter(string name) : LayerTensor(name, [], 1)
{
    /// <summary>The count.</summary>
    public long Value { get; set; }
}
