using System.Numerics;

namespace Nabla.Layers;

/// <summary>
/// Non-trainable state a layer updates itself (batch norm's <c>running_mean</c> and <c>running_var</c>): saved in
/// model files and checkpoints like a parameter, never touched by the optimizer.
/// </summary>
public sealed class Buffer<T> : LayerTensor where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A buffer holding <paramref name="values"/> (owned from now on), stored with <paramref name="fileShape"/>.</summary>
    public Buffer(string name, T[] values, long[] fileShape) : base(name, fileShape, values.Length) => Values = values;

    /// <summary>A one-dimensional buffer of <paramref name="length"/> values, all <paramref name="initial"/>.</summary>
    public Buffer(string name, int length, T initial) : this(name, Filled(length, initial), [length])
    {
    }

    /// <summary>The values.</summary>
    public T[] Values { get; }

    private static T[] Filled(int length, T value)
    {
        var values = new T[length];
        Array.Fill(values, value);
        return values;
    }
}
