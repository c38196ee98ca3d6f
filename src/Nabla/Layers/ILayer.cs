using System.Numerics;
using Nabla.Layers.Kinds;
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
    /// <summary>The kind of layer: its PyTorch module name and how files, traces and reports treat it.</summary>
    LayerKind Kind { get; }

    /// <summary>Trainable parameters, in PyTorch's order (<c>weight</c> then <c>bias</c>); empty for activations.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Non-trainable state saved with the model (<see cref="Buffer{T}"/>s and <see cref="Counter"/>s), after the parameters in PyTorch's order.</summary>
    IReadOnlyList<LayerTensor> Buffers => [];

    /// <summary>The layer's own random generator (dropout masks), saved in checkpoints so a resumed run draws alike; null when it has none.</summary>
    Rng? Random => null;

    /// <summary>Computes the output for <paramref name="input"/>; <paramref name="training"/> switches on dropout and batch statistics.</summary>
    Matrix<T> Forward(Matrix<T> input, bool training);

    /// <summary>Given dL/doutput of the last <see cref="Forward"/>, returns dL/dinput and accumulates parameter gradients.</summary>
    Matrix<T> Backward(Matrix<T> outputGradient);

    /// <summary>
    /// Accumulates the parameter gradients of <see cref="Backward"/> where dL/dinput is not needed (the network's
    /// first trainable layer); a layer whose input gradient is costly skips computing it.
    /// </summary>
    void BackwardParameters(Matrix<T> outputGradient) => Backward(outputGradient);
}
