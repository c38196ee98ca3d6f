namespace Nabla.Layers;

/// <summary>
/// A tensor a layer carries and a model file stores under <c>"{layer index}.{Name}"</c>: a trainable
/// <see cref="Parameter{T}"/>, or non-trainable state (a <see cref="Buffer{T}"/> such as a running mean, or a
/// <see cref="Counter"/> such as <c>num_batches_tracked</c>), as in PyTorch's <c>state_dict</c>.
/// </summary>
public abstract class LayerTensor
{
    /// <summary>Validates and stores the name and file shape.</summary>
    protected LayerTensor(string name, long[] fileShape, long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (fileShape.Aggregate(1L, (a, b) => a * b) != length || fileShape.Any(d => d < 0))
            throw new ArgumentException($"Tensor '{name}': the file shape [{string.Join(", ", fileShape)}] does not hold its {length} values.", nameof(fileShape));
        Name = name;
        FileShape = fileShape;
    }

    /// <summary>Short name within its layer, as PyTorch names it: <c>weight</c>, <c>bias</c>, <c>running_mean</c>.</summary>
    public string Name { get; }

    /// <summary>The tensor's shape in model files and PyTorch (<c>[out, in, kh, kw]</c> for a convolution weight).</summary>
    public IReadOnlyList<long> FileShape { get; }
}
