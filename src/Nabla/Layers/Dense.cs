using System.Numerics;
using Nabla.Init;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// Fully connected layer, <c>Z = X·Wᵀ + b</c>, with <c>W</c> of shape [out, in] as in PyTorch's
/// <c>nn.Linear</c>: one sample per row of <c>X</c>.
/// </summary>
/// <remarks>
/// Backward, for a batch of dL/dZ (<c>G</c>, rows = samples):
/// <c>dL/dW += Gᵀ·X</c>, <c>dL/db += Σ_rows G</c>, <c>dL/dX = G·W</c> (seed 004's
/// <c>a¹ᵀδ³</c>, <c>Σδ³</c>, <c>δ³W²ᵀ</c> in row layout).
/// </remarks>
public sealed class Dense<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private Matrix<T>? _input;

    /// <summary>A layer with explicit starting values: <paramref name="weight"/> is [out, in], <paramref name="bias"/> has out values.</summary>
    public Dense(Matrix<T> weight, ReadOnlySpan<T> bias)
    {
        if (weight.Rows == 0 || weight.Cols == 0)
            throw new ArgumentException($"Expected a weight with at least one row and column; received {weight.Rows}x{weight.Cols}.", nameof(weight));
        if (bias.Length != weight.Rows)
            throw new ArgumentException($"Expected {weight.Rows} bias values (one per output); received {bias.Length}.", nameof(bias));
        var b = new Matrix<T>(1, bias.Length);
        bias.CopyTo(b.Span);
        _parameters = [new Parameter<T>("weight", weight, decays: true), new Parameter<T>("bias", b, decays: false)];
    }

    /// <summary>A layer of <paramref name="inputs"/> ⇒ <paramref name="outputs"/> units, weights drawn by <paramref name="initializer"/>, biases zero.</summary>
    public Dense(int inputs, int outputs, IInitializer initializer, Rng rng)
        : this(Initialized(inputs, outputs, initializer, rng), new T[CheckPositive(outputs, nameof(outputs))])
    {
    }

    /// <inheritdoc />
    public string Kind => "Linear";

    /// <summary>Number of input features.</summary>
    public int Inputs => Weight.Value.Cols;

    /// <summary>Number of output units.</summary>
    public int Outputs => Weight.Value.Rows;

    /// <summary>The weight, shape [out, in].</summary>
    public Parameter<T> Weight => _parameters[0];

    /// <summary>The bias, shape [1, out].</summary>
    public Parameter<T> Bias => _parameters[1];

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        if (input.Cols != Inputs)
            throw new ArgumentException($"Dense({Inputs} => {Outputs}) got input with {input.Cols} columns; expected {Inputs}.", nameof(input));
        _input = input;
        _output.Reshape(input.Rows, Outputs);
        Gemm.Multiply(input, false, Weight.Value, true, _output);
        RowOps.AddRowVector(_output, Bias.Value.Span);
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        BackwardParameters(outputGradient);
        _inputGradient.Reshape(outputGradient.Rows, Inputs);
        Gemm.Multiply(outputGradient, false, Weight.Value, false, _inputGradient);
        return _inputGradient;
    }

    /// <summary>
    /// The parameter half of <see cref="Backward"/>: accumulates dL/dW and dL/db but skips the
    /// dL/dX product, which nothing needs when this is the network's first trainable layer.
    /// </summary>
    internal void BackwardParameters(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape("Dense", _input is null ? null : _output, outputGradient);
        var weightGradient = Weight.GradientToAdd(out bool overwrite);
        Gemm.Multiply(outputGradient, true, _input!, false, weightGradient, accumulate: !overwrite);
        RowOps.SumColumns(outputGradient, Bias.Gradient.Span);
    }

    /// <inheritdoc />
    public override string ToString() => $"Dense({Inputs} => {Outputs})";

    private static Matrix<T> Initialized(int inputs, int outputs, IInitializer initializer, Rng rng)
    {
        var weight = new Matrix<T>(CheckPositive(outputs, nameof(outputs)), CheckPositive(inputs, nameof(inputs)));
        initializer.Fill(weight, rng);
        return weight;
    }

    private static int CheckPositive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, $"Expected a positive number of units; received {name}={value}.");
}
