using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// A trainable tensor and the gradient of the loss with respect to it. Layers add into
/// <see cref="Gradient"/> during <c>Backward</c>; the optimizer reads it and updates <see cref="Value"/>.
/// </summary>
/// <remarks>
/// <see cref="ZeroGradient"/> is lazy: it only marks the gradient as zero, and the first layer to
/// write it overwrites it instead of adding (a dense layer's weight-gradient product stores its
/// result instead of adding it to a cleared buffer: one pass over the gradient less per step).
/// Reading <see cref="Gradient"/> while it is marked writes the zeros first, so callers never see
/// the difference.
/// </remarks>
public sealed class Parameter<T> : LayerTensor where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _gradient;
    private bool _zeroPending;
    private bool _provedFinite;

    /// <summary>Creates a parameter with a zero gradient of the same shape as <paramref name="value"/>.</summary>
    /// <param name="name">Short name within its layer, as PyTorch names it: <c>weight</c> or <c>bias</c>.</param>
    /// <param name="value">The values, owned by the parameter from now on.</param>
    /// <param name="role">What the parameter is; weight decay applies to <see cref="ParameterRole.Weight"/> only.</param>
    /// <param name="fileShape">Its shape in files; by default <c>[rows, cols]</c> for a weight and <c>[length]</c> otherwise.</param>
    public Parameter(string name, Matrix<T> value, ParameterRole role, long[]? fileShape = null)
        : base(name, fileShape ?? (role == ParameterRole.Weight ? [value.Rows, value.Cols] : [value.Length]), value.Length)
    {
        Value = value;
        _gradient = new Matrix<T>(value.Rows, value.Cols);
        Role = role;
    }

    /// <summary>What the parameter is.</summary>
    public ParameterRole Role { get; }

    /// <summary>Current values.</summary>
    public Matrix<T> Value { get; }

    /// <summary>Accumulated dL/dValue since the last <see cref="ZeroGradient"/>.</summary>
    public Matrix<T> Gradient
    {
        get
        {
            if (_zeroPending)
            {
                _gradient.Clear();
                _zeroPending = false;
            }
            _provedFinite = false; // the caller may write to it
            return _gradient;
        }
    }

    /// <summary>Whether L2 weight decay applies to this parameter (weights, not biases or normalisation parameters).</summary>
    public bool Decays => Role == ParameterRole.Weight;

    /// <summary>Resets the gradient to zero before a new backward pass.</summary>
    public void ZeroGradient()
    {
        _zeroPending = true;
        _provedFinite = false;
    }

    /// <summary>
    /// Whether the layer that wrote the gradient last proved every element finite as it wrote it (see
    /// <see cref="ProvedFinite"/>), so the trainer's check before the update need not read it again. Any
    /// other access through <see cref="Gradient"/>, a new contribution or a reset clears it.
    /// </summary>
    internal bool GradientProvedFinite => _provedFinite;

    /// <summary>Records that the contribution just written through <see cref="GradientToAdd"/> left only finite values.</summary>
    internal void ProvedFinite() => _provedFinite = true;

    /// <summary>
    /// The gradient buffer for a layer about to add its contribution; <paramref name="overwrite"/> is
    /// true when the gradient is zero, so the contribution may be stored rather than added (its
    /// values must then all be written).
    /// </summary>
    internal Matrix<T> GradientToAdd(out bool overwrite)
    {
        overwrite = _zeroPending;
        _zeroPending = false;
        _provedFinite = false;
        return _gradient;
    }
}
