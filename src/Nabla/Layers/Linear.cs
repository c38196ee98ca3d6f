using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// PyTorch's <c>nn.Linear(in_features, out_features)</c>, spelled <c>Linear(out_features)</c> when the input size
/// is inferred: a row of features in, <c>out_features</c> out; <c>weight</c> [out, in] and <c>bias</c> [out].
/// </summary>
public sealed class LinearKind : LayerKind
{
    private LinearKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static LinearKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Linear";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } =
    [
        new("in_features", OptionType.Int, Aliases: ["in"]),
        new("out_features", OptionType.Int, Aliases: ["out"]),
    ];

    /// <inheritdoc />
    public override int InferredOptions => 1;

    /// <inheritdoc />
    public override LayerRole Role => LayerRole.Affine;

    /// <inheritdoc />
    public override bool TakesRows => true;

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        new Linear<T>(spec.Int("in_features"), spec.Int("out_features"), initializer, rng);

    /// <inheritdoc />
    public override IReadOnlyList<TensorSpec> Tensors(LayerSpec spec, SampleShape input) =>
        [new("weight", [spec.Int("out_features"), spec.Int("in_features")]), new("bias", [spec.Int("out_features")])];

    /// <summary>A linear layer reads as its output size: <c>"256"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) => (output.ToString(), true);

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["Gemm", "MatMul"];

    /// <summary>ONNX's <c>Gemm(x, weight, bias, transB=1)</c>: <c>x·weightᵀ + bias</c>, with the weight as PyTorch stores it.</summary>
    public override string ToOnnx(OnnxLayerExport layer) =>
        layer.Node("Gemm", [layer.InputValue, layer.Tensor("weight"), layer.Tensor("bias")], OnnxAttribute.Of("transB", 1L));

    /// <summary>
    /// ONNX's <c>Gemm</c> (PyTorch's export of <c>nn.Linear</c>: <c>transB=1</c>; <c>transB=0</c> is transposed here),
    /// or <c>MatMul</c> by a constant <c>[in, out]</c> matrix followed by an <c>Add</c> of a constant bias (Keras's and
    /// TensorFlow's export); a bias left out is zero.
    /// </summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        var node = layer.Node;
        if (layer.Input.Rank != 1)
            throw new ArgumentException($"it reads a {layer.Input} input; Linear takes rows of features (Flatten first)");
        bool gemm = node.OpType == "Gemm";
        if (gemm && (node.Int("transA", 0) != 0 || node.Float("alpha", 1) != 1 || node.Float("beta", 1) != 1))
            throw new ArgumentException($"Gemm with transA={node.Int("transA", 0)}, alpha={node.Float("alpha", 1)}, beta={node.Float("beta", 1)}; Linear is transA=0, alpha=1, beta=1");
        var w = layer.FloatConstant(node, 1, "weight") ?? throw new ArgumentException("it has no weight input");
        bool outFirst = gemm && node.Int("transB", 0) == 1;
        int inputs = layer.Input.Size;
        if (w.Dims.Count != 2 || w.Dims[outFirst ? 1 : 0] != inputs || w.Dims[outFirst ? 0 : 1] is < 1 or > int.MaxValue)
            throw new ArgumentException($"its weight is {OnnxLayerImport.DimsText(w.Dims)}; expected {(outFirst ? "[out, " + inputs + "]" : "[" + inputs + ", out]")} for {inputs} input features");
        int outputs = (int)w.Dims[outFirst ? 0 : 1];
        layer.SetTensor("weight", outFirst ? w.Floats! : Transposed(w.Floats!, inputs, outputs));
        if (gemm)
            layer.SetTensor("bias", layer.Vector(node, 2, outputs, "bias"));
        else if (layer.Next is { OpType: "Add" } add)
            layer.SetTensor("bias", layer.Vector(layer.TakeNext(), add.Inputs.Count > 1 && add.Inputs[0] == node.Outputs[0] ? 1 : 0, outputs, "bias"));
        else
            layer.SetTensor("bias", new float[outputs]);
        return LayerSpec.Linear(inputs, outputs);
    }

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        RequireFeatures(spec, input);
        RequireAtLeast(spec, "out_features", 1);
        if (spec.Given("in_features") is null)
            spec = spec.With("in_features", OptionValue.Of(input.Size));
        else if (spec.Int("in_features") != input.Size)
            throw new ArgumentException($"{spec} takes {spec.Int("in_features")} input features; received {input.Size}.");
        return (new LayerSpec(Name, [new("in_features", OptionValue.Of(input.Size)), new("out_features", spec.Value("out_features"))]),
            SampleShape.Features(spec.Int("out_features")));
    }

    /// <summary>The <paramref name="cols"/> × <paramref name="rows"/> transpose of a row-major <paramref name="rows"/> × <paramref name="cols"/> matrix.</summary>
    private static float[] Transposed(float[] values, int rows, int cols)
    {
        var t = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                t[c * rows + r] = values[r * cols + c];
        return t;
    }
}

/// <summary>
/// Fully connected layer, <c>Z = X·Wᵀ + b</c>, with <c>W</c> of shape [out, in] as in PyTorch's
/// <c>nn.Linear</c>: one sample per row of <c>X</c>.
/// </summary>
/// <remarks>
/// Backward, for a batch of dL/dZ (<c>G</c>, rows = samples):
/// <c>dL/dW += Gᵀ·X</c>, <c>dL/db += Σ_rows G</c>, <c>dL/dX = G·W</c> (seed 004's
/// <c>a¹ᵀδ³</c>, <c>Σδ³</c>, <c>δ³W²ᵀ</c> in row layout).
/// </remarks>
public sealed class Linear<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private Matrix<T>? _input;

    /// <summary>A layer with explicit starting values: <paramref name="weight"/> is [out, in], <paramref name="bias"/> has out values.</summary>
    public Linear(Matrix<T> weight, ReadOnlySpan<T> bias)
    {
        if (weight.Rows == 0 || weight.Cols == 0)
            throw new ArgumentException($"Expected a weight with at least one row and column; received {weight.Rows}x{weight.Cols}.", nameof(weight));
        if (bias.Length != weight.Rows)
            throw new ArgumentException($"Expected {weight.Rows} bias values (one per output); received {bias.Length}.", nameof(bias));
        var b = new Matrix<T>(1, bias.Length);
        bias.CopyTo(b.Span);
        _parameters = [new Parameter<T>("weight", weight, ParameterRole.Weight), new Parameter<T>("bias", b, ParameterRole.Bias)];
    }

    /// <summary>
    /// A layer of <paramref name="inputs"/> ⇒ <paramref name="outputs"/> units, weights drawn by <paramref name="initializer"/>,
    /// then biases (zero unless it draws them: <see cref="IInitializer.FillBias"/>).
    /// </summary>
    public Linear(int inputs, int outputs, IInitializer initializer, Rng rng)
        : this(Initialized(inputs, outputs, initializer, rng), Biases(inputs, outputs, initializer, rng))
    {
    }

    /// <inheritdoc />
    public LayerKind Kind => LinearKind.Instance;

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
            throw new ArgumentException($"Linear({Inputs} => {Outputs}) got input with {input.Cols} columns; expected {Inputs}.", nameof(input));
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
    public void BackwardParameters(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape("Linear", _input is null ? null : _output, outputGradient);
        var weightGradient = Weight.GradientToAdd(out bool overwrite);
        if (Gemm.MultiplyProvingFinite(outputGradient, true, _input!, false, weightGradient, accumulate: !overwrite))
            Weight.ProvedFinite();
        RowOps.SumColumns(outputGradient, Bias.Gradient.Span);
    }

    /// <inheritdoc />
    public override string ToString() => $"Linear({Inputs} => {Outputs})";

    private static Matrix<T> Initialized(int inputs, int outputs, IInitializer initializer, Rng rng)
    {
        var weight = new Matrix<T>(CheckPositive(outputs, nameof(outputs)), CheckPositive(inputs, nameof(inputs)));
        initializer.Fill(weight, rng);
        return weight;
    }

    private static T[] Biases(int inputs, int outputs, IInitializer initializer, Rng rng)
    {
        var bias = new T[outputs];
        initializer.FillBias<T>(bias, inputs, outputs, rng);
        return bias;
    }

    private static int CheckPositive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, $"Expected a positive number of units; received {name}={value}.");
}
