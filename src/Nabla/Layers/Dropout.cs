using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// PyTorch's <c>nn.Dropout(p=0.5)</c>. Each layer draws its masks from its own generator, seeded from the network's
/// generator when it is built and saved in checkpoints, so a resumed run draws the same masks.
/// </summary>
public sealed class DropoutKind : LayerKind
{
    private DropoutKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static DropoutKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Dropout";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } = [new("p", OptionType.Real, OptionValue.Of(0.5))];

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        new Dropout<T>(spec.Real("p"), new Rng(rng.NextUInt64()));

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["Dropout"];

    /// <summary>Dropout is the identity at inference: it adds no node.</summary>
    public override string ToOnnx(OnnxLayerExport layer) => layer.InputValue;

    /// <summary>ONNX's <c>Dropout</c>, with its ratio (an input from opset 12, an attribute before; 0.5 when left out).</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        double p = layer.Opset >= 12
            ? layer.FloatConstant(layer.Node, 1, "ratio") is { Floats: [var ratio] } ? OnnxLayerImport.Decimal(ratio) : 0.5
            : OnnxLayerImport.Decimal(layer.Node.Float("ratio", 0.5f));
        return new LayerSpec(Name, [new("p", OptionValue.Of(p))]);
    }

    /// <summary>Dropout qualifies the stage before it: <c>"784 ReLU dropout 0.5"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) =>
        (string.Create(System.Globalization.CultureInfo.InvariantCulture, $"dropout {spec.Real("p")}"), false);

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        RequireRange(spec, "p", 0, 1, maxExclusive: true);
        return (spec, input);
    }
}

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

    /// <summary>Creates the layer; <paramref name="rng"/> draws the masks and belongs to the layer from now on.</summary>
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
    public LayerKind Kind => DropoutKind.Instance;

    /// <inheritdoc />
    public Rng Random => _rng;

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
            // The draws a chunk at a time (Rng.NextDoubles, the same sequence as NextDouble), and each value picked from
            // a two-entry table rather than by a branch, which a coin toss mispredicts half the time: drawn and branched
            // one at a time, cnn-mnist's 51,200 a step took 0.47 ms.
            Span<double> draws = stackalloc double[256];
            Span<T> values = [keep, T.Zero];
            double p = Probability;
            for (int start = 0; start < mask.Length; start += draws.Length)
            {
                var chunk = draws[..Math.Min(draws.Length, mask.Length - start)];
                _rng.NextDoubles(chunk);
                var target = mask.Slice(start, chunk.Length);
                for (int i = 0; i < chunk.Length; i++)
                    target[i] = values[chunk[i] < p ? 1 : 0];
            }
        }
        _output.Reshape(input.Rows, input.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(input.Span, _mask.Span, _output.Span);
        _lastOutput = _output;
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _lastOutput, outputGradient);
        if (!_masked)
            return outputGradient;
        _inputGradient.Reshape(outputGradient.Rows, outputGradient.Cols);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.Span, _mask.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => $"Dropout(p={Probability})";
}
