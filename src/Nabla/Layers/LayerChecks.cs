using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>Shape checks shared by layers, so every layer fails with the same kind of message.</summary>
internal static class LayerChecks
{
    /// <summary>Throws unless <paramref name="gradient"/> has the shape of the output the layer last produced.</summary>
    public static void SameShape<T>(string layer, Matrix<T>? output, Matrix<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output is null)
            throw new InvalidOperationException($"{layer}: Backward was called before Forward.");
        if (gradient.Rows != output.Rows || gradient.Cols != output.Cols)
            throw new ArgumentException(
                $"{layer}: expected an output gradient of shape {output.Rows}x{output.Cols}; received {gradient.Rows}x{gradient.Cols}.");
    }
}
