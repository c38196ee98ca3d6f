using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// A trainable tensor and the gradient of the loss with respect to it. Layers add into
/// <see cref="Gradient"/> during <c>Backward</c>; the optimizer reads it and updates <see cref="Value"/>.
/// </summary>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a parameter with a zero gradient of the same shape as <paramref name="value"/>.</summary>
    /// <param name="name">Short name within its layer, as PyTorch names it: <c>weight</c> or <c>bias</c>.</param>
    /// <param name="value">The values, owned by the parameter from now on.</param>
    /// <param name="decays">Whether L2 weight decay applies (weights yes, biases no, as in seed 004).</param>
    public Parameter(string name, Matrix<T> value, bool decays)
    {
        Name = name;
        Value = value;
        Gradient = new Matrix<T>(value.Rows, value.Cols);
        Decays = decays;
    }

    /// <summary>Short name within its layer: <c>weight</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>Current values.</summary>
    public Matrix<T> Value { get; }

    /// <summary>Accumulated dL/dValue since the last <see cref="ZeroGradient"/>.</summary>
    public Matrix<T> Gradient { get; }

    /// <summary>Whether L2 weight decay applies to this parameter.</summary>
    public bool Decays { get; }

    /// <summary>Resets the gradient to zero before a new backward pass.</summary>
    public void ZeroGradient() => Gradient.Clear();
}
