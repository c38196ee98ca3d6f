using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>Argument checks shared by losses.</summary>
internal static class LossChecks
{
    public static void SameShape<T>(string loss, Matrix<T> prediction, Matrix<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (prediction.Rows != target.Rows || prediction.Cols != target.Cols)
            throw new ArgumentException(
                $"{loss}: the prediction is {prediction.Rows}x{prediction.Cols} but the target is {target.Rows}x{target.Cols}; expected the same shape.");
        if (prediction.Rows == 0)
            throw new ArgumentException($"{loss}: expected at least one sample; received an empty batch.");
    }

    public static void ForwardCalled(string loss, bool called)
    {
        if (!called)
            throw new InvalidOperationException($"{loss}: Backward was called before Forward.");
    }
}
