using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Losses;

/// <summary>
/// A loss over a batch. <see cref="Forward"/> returns the mean loss of the batch and keeps what
/// <see cref="Backward"/> needs; <see cref="Backward"/> returns dL/dprediction (a buffer reused by the
/// next call). The loss knows nothing of layers.
/// </summary>
public interface ILoss<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name the command line and model files use (<c>cross-entropy</c>, <c>mse</c>, …).</summary>
    string Name { get; }

    /// <summary>Mean loss of <paramref name="prediction"/> against <paramref name="target"/> (same shape, one sample per row).</summary>
    T Forward(Matrix<T> prediction, Matrix<T> target);

    /// <summary>dL/dprediction for the last <see cref="Forward"/>.</summary>
    Matrix<T> Backward();
}
