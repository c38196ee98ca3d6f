namespace Nabla.Layers.Kinds;

/// <summary>What a tensor a layer carries is for.</summary>
public enum TensorRole
{
    /// <summary>Trained by the optimizer (F32 in model files).</summary>
    Parameter,

    /// <summary>Non-trainable state the layer updates itself, such as a running mean (F32).</summary>
    Buffer,

    /// <summary>A non-trainable count, such as <c>num_batches_tracked</c> (an I64 scalar).</summary>
    Counter,
}
