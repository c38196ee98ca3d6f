using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// One step of a network. <see cref="Forward"/> maps a batch (one sample per row) to an output and keeps
/// what <see cref="Backward"/> needs; <see cref="Backward"/> takes dL/doutput, returns dL/dinput and
/// <em>adds</em> dL/dparameter into each parameter's gradient.
/// </summary>
/// <remarks>
/// The matrices a layer returns are its own buffers, reused on the next call: copy them to keep them.
/// </remarks>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The PyTorch module this layer corresponds to (<c>Linear</c>, <c>Tanh</c>, …); it names the layer in model files and traces.</summary>
    string Kind { get; }

    /// <summary>Trainable parameters, in PyTorch's order (<c>weight</c> then <c>bias</c>); empty for activations.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Computes the output for <paramref name="input"/>; <paramref name="training"/> switches on dropout.</summary>
    Matrix<T> Forward(Matrix<T> input, bool training);

    /// <summary>Given dL/doutput of the last <see cref="Forward"/>, returns dL/dinput and accumulates parameter gradients.</summary>
    Matrix<T> Backward(Matrix<T> outputGradient);
}
