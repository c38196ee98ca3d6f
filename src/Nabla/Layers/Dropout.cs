using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// Inverted dropout: in training each input is zeroed with probability <c>p</c> and the survivors are
/// scaled by <c>1/(1 − p)</c>, so the expected output equals the input and inference is the identity.
/// Backward multiplies by the same mask.
/// </summary>
public sealed class Dropout<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Rng _rng;
    private readonly Matrix<T> _mask = new(0, 0);
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private bool _masked;
    private Matrix<T>? _lastOutput;

    /// <summary>Creates the layer; <paramref name="rng"/> draws the masks.</summary>
    public Dropout(double probability, Rng rng)
    {
        if (!(probability >= 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), $"Expected a drop probability in [0, 1); received {probability}.");
        Probability = probability;
        _rng = rng;
    }

    /// <summary>Probability of zeroing each input in training.</summary>
    public double Probability { get; }

    /// <summary>When true, training passes reuse the last mask instead of drawing a new one (for gradient checks).</summary>
    internal bool FreezeMask { get; set; }

    /// <inheritdoc />
    public string Kind => "Dropout";

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        _masked = training && Probability > 0;
        if (!_masked)
        {
            _lastOutput = input;
            return input;
        }
        if (!FreezeMask || _mask.Rows != input.Rows || _mask.Cols != input.Cols)
        {
            _mask.Reshape(input.Rows, input.Cols);
            T keep = T.One / T.CreateChecked(1 - Probability);
            var mask = _mask.Span;
            for (int i = 0; i < mask.Length; i++)
                mask[i] = _rng.NextDouble() < Probability ? T.Zero : keep;
        }
        _output.Reshape(input.Rows, input.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(input.Span, _mask.Span, _output.Span);
        _lastOutput = _output;
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind, _lastOutput, outputGradient);
        if (!_masked)
            return outputGradient;
        _inputGradient.Reshape(outputGradient.Rows, outputGradient.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.Span, _mask.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout(p={Probability})";
}
