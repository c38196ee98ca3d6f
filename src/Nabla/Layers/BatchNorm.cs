using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// What PyTorch's <c>nn.BatchNorm1d</c> and <c>nn.BatchNorm2d</c> share: <c>(num_features, eps=1e-05, momentum=0.1)</c>
/// with <c>num_features</c> inferred from the input (<c>LazyBatchNorm2d()</c>), <c>weight</c> and <c>bias</c> [C],
/// buffers <c>running_mean</c> and <c>running_var</c> [C] and the int64 counter <c>num_batches_tracked</c>.
/// </summary>
public abstract class BatchNormKind : LayerKind
{
    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } =
    [
        new("num_features", OptionType.Int),
        new("eps", OptionType.Real, OptionValue.Of(1e-5)),
        new("momentum", OptionType.Real, OptionValue.Of(0.1)),
    ];

    /// <inheritdoc />
    public override int InferredOptions => 1;

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        new BatchNorm<T>(input, spec.Real("eps"), spec.Real("momentum"));

    /// <inheritdoc />
    public override IReadOnlyList<TensorSpec> Tensors(LayerSpec spec, SampleShape input)
    {
        long channels = spec.Int("num_features");
        return
        [
            new("weight", [channels]), new("bias", [channels]),
            new("running_mean", [channels], TensorRole.Buffer), new("running_var", [channels], TensorRole.Buffer),
            new("num_batches_tracked", [], TensorRole.Counter),
        ];
    }

    /// <summary>Batch normalisation qualifies the stage before it: <c>"conv3×3 32×28×28 ReLU batchnorm"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) => ("batchnorm", false);

    /// <summary>Throws unless the layer takes <paramref name="input"/>'s rank.</summary>
    protected abstract void RequireRank(LayerSpec spec, SampleShape input);

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        RequireRank(spec, input);
        int channels = input.Dims[0];
        if (spec.Given("num_features") is null)
            spec = spec.With("num_features", OptionValue.Of(channels));
        else if (spec.Int("num_features") != channels)
            throw new ArgumentException($"{spec} takes {spec.Int("num_features")} channel{(spec.Int("num_features") == 1 ? "" : "s")}; received {input}.");
        RequireRange(spec, "eps", 0, double.MaxValue);
        RequireRange(spec, "momentum", 0, 1);
        return (InOrder(spec), input);
    }
}

/// <summary>PyTorch's <c>nn.BatchNorm1d</c>: over features (C) or channels of sequences (C×L).</summary>
public sealed class BatchNorm1dKind : BatchNormKind
{
    private BatchNorm1dKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static BatchNorm1dKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "BatchNorm1d";

    /// <inheritdoc />
    protected override void RequireRank(LayerSpec spec, SampleShape input)
    {
        if (input.Rank > 2)
            throw new ArgumentException($"{spec} takes features (C) or sequences (C×L); received a {input} input. Use BatchNorm2d for images.");
    }
}

/// <summary>PyTorch's <c>nn.BatchNorm2d</c>: over the channels of images (C×H×W).</summary>
public sealed class BatchNorm2dKind : BatchNormKind
{
    private BatchNorm2dKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static BatchNorm2dKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "BatchNorm2d";

    /// <inheritdoc />
    protected override void RequireRank(LayerSpec spec, SampleShape input) => RequireImage(spec, input);
}

/// <summary>
/// Batch normalisation per channel, over the <c>M = N·L</c> values a channel has in a batch (<c>L</c> = H·W for
/// images, 1 for features): <c>x̂ = (x − μ) / √(σ² + ε)</c>, <c>y = γ x̂ + β</c>. In training <c>μ</c> and
/// <c>σ²</c> are the batch's mean and biased variance, and the running statistics move by
/// <c>r ← (1 − momentum)·r + momentum·s</c> with the unbiased variance <c>σ²·M/(M − 1)</c>; in evaluation the
/// running statistics stand in for them. PyTorch's defaults throughout.
/// </summary>
/// <remarks>
/// Backward, for <c>G = ∂L/∂y</c> and sums over a channel's M values: <c>∂L/∂β = Σ G</c>,
/// <c>∂L/∂γ = Σ G x̂</c>, and in training, where <c>μ</c> and <c>σ²</c> depend on every input,
/// <c>∂L/∂x = (γ / √(σ² + ε)) · (G − Σ G / M − x̂ · Σ G x̂ / M)</c>; after an evaluation pass the statistics are
/// constants and <c>∂L/∂x = γ G / √(σ² + ε)</c>. (docs/derivations.md derives both.)
/// </remarks>
public sealed class BatchNorm<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly Buffer<T> _runningMean;
    private readonly Buffer<T> _runningVar;
    private readonly Counter _batches = new("num_batches_tracked");
    private readonly int _channels;
    private readonly int _length;
    private readonly T[] _mean;
    private readonly T[] _invStd;
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private Matrix<T>? _input;
    private bool _batchStatistics;

    /// <summary>
    /// Normalises <paramref name="input"/> samples: features (C) or sequences (C×L) as <c>BatchNorm1d</c>, images
    /// (C×H×W) as <c>BatchNorm2d</c>; <c>γ = 1</c>, <c>β = 0</c>, running mean 0 and variance 1, as PyTorch starts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative or <paramref name="momentum"/> outside [0, 1].</exception>
    public BatchNorm(SampleShape input, double epsilon = 1e-5, double momentum = 0.1)
    {
        if (!(epsilon >= 0 && double.IsFinite(epsilon)))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Expected a finite eps of at least 0; received {epsilon}.");
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"Expected a momentum in [0, 1]; received {momentum}.");
        Kind = input.IsImage ? BatchNorm2dKind.Instance : input.Rank <= 2 ? BatchNorm1dKind.Instance
            : throw new ArgumentException($"Expected features (C), sequences (C×L) or images (C×H×W); received {input}.", nameof(input));
        _channels = input.Dims[0];
        _length = input.Size / _channels;
        Epsilon = epsilon;
        Momentum = momentum;
        var gamma = new Matrix<T>(1, _channels);
        gamma.Span.Fill(T.One);
        _parameters = [new Parameter<T>("weight", gamma, ParameterRole.Scale), new Parameter<T>("bias", new Matrix<T>(1, _channels), ParameterRole.Shift)];
        _runningMean = new Buffer<T>("running_mean", _channels, T.Zero);
        _runningVar = new Buffer<T>("running_var", _channels, T.One);
        _mean = new T[_channels];
        _invStd = new T[_channels];
        InputShape = input;
    }

    /// <inheritdoc />
    public LayerKind Kind { get; }

    /// <summary>The shape of one sample, in and out.</summary>
    public SampleShape InputShape { get; }

    /// <summary>ε, added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>How far one training batch moves the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>γ, [1, C].</summary>
    public Parameter<T> Weight => _parameters[0];

    /// <summary>β, [1, C].</summary>
    public Parameter<T> Bias => _parameters[1];

    /// <summary>The running mean per channel.</summary>
    public Buffer<T> RunningMean => _runningMean;

    /// <summary>The running (unbiased) variance per channel.</summary>
    public Buffer<T> RunningVar => _runningVar;

    /// <summary>Training batches seen (PyTorch's <c>num_batches_tracked</c>).</summary>
    public Counter BatchesTracked => _batches;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public IReadOnlyList<LayerTensor> Buffers => [_runningMean, _runningVar, _batches];

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        if (input.Cols != InputShape.Size)
            throw new ArgumentException($"{this} expects {InputShape.Size} values per sample ({InputShape}); received {input.Cols}.", nameof(input));
        int count = input.Rows * _length;
        if (training && count < 2)
            throw new ArgumentException(
                $"{this} needs more than one value per channel in training; received {input.Rows} sample{(input.Rows == 1 ? "" : "s")} of {InputShape}.", nameof(input));
        _input = input;
        _batchStatistics = training;
        if (training)
            BatchStatistics(input, count);
        else
            for (int c = 0; c < _channels; c++)
            {
                _mean[c] = _runningMean.Values[c];
                _invStd[c] = T.One / T.Sqrt(_runningVar.Values[c] + T.CreateChecked(Epsilon));
            }
        _output.Reshape(input.Rows, input.Cols);
        var gamma = Weight.Value.Span;
        var beta = Bias.Value.Span;
        for (int c = 0; c < _channels; c++)
        {
            T scale = gamma[c] * _invStd[c], mean = _mean[c], shift = beta[c];
            for (int n = 0; n < input.Rows; n++)
            {
                int at = n * input.Cols + c * _length;
                Normalise(input.Span.Slice(at, _length), mean, scale, shift, _output.Span.Slice(at, _length));
            }
        }
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _input is null ? null : _output, outputGradient);
        var x = _input!;
        int rows = x.Rows, count = rows * _length;
        _inputGradient.Reshape(rows, x.Cols);
        var gamma = Weight.Value.Span;
        var gammaGradient = Weight.Gradient.Span;
        var betaGradient = Bias.Gradient.Span;
        T m = T.CreateChecked(count);
        for (int c = 0; c < _channels; c++)
        {
            T mean = _mean[c], invStd = _invStd[c], sumG = T.Zero, sumGx = T.Zero;
            for (int n = 0; n < rows; n++)
            {
                int at = n * x.Cols + c * _length;
                var g = outputGradient.Span.Slice(at, _length);
                sumG += TensorPrimitives.Sum<T>(g);
                sumGx += SumOfProducts(g, x.Span.Slice(at, _length), mean);
            }
            // Σ G x̂ = Σ G (x − μ) / √(σ² + ε).
            gammaGradient[c] += sumGx * invStd;
            betaGradient[c] += sumG;
            // ∂L/∂x = a G + b (x − μ) + d: a = γ/√(σ² + ε), and with batch statistics b = −a Σ G (x − μ) / (M (σ² + ε)), d = −a Σ G / M.
            T a = gamma[c] * invStd, b = T.Zero, d = T.Zero;
            if (_batchStatistics)
            {
                b = -a * invStd * invStd * sumGx / m;
                d = -a * sumG / m;
            }
            for (int n = 0; n < rows; n++)
            {
                int at = n * x.Cols + c * _length;
                InputGradient(outputGradient.Span.Slice(at, _length), x.Span.Slice(at, _length), a, b, mean, d, _inputGradient.Span.Slice(at, _length));
            }
        }
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind.Name}({_channels})";

    /// <summary>The batch's mean and biased variance per channel (two passes), and the running statistics' update.</summary>
    private void BatchStatistics(Matrix<T> input, int count)
    {
        T m = T.CreateChecked(count), momentum = T.CreateChecked(Momentum), keep = T.One - momentum;
        T unbias = T.CreateChecked((double)count / (count - 1)), epsilon = T.CreateChecked(Epsilon);
        for (int c = 0; c < _channels; c++)
        {
            T sum = T.Zero;
            for (int n = 0; n < input.Rows; n++)
                sum += TensorPrimitives.Sum<T>(input.Span.Slice(n * input.Cols + c * _length, _length));
            T mean = sum / m, squares = T.Zero;
            for (int n = 0; n < input.Rows; n++)
                squares += SumOfSquares(input.Span.Slice(n * input.Cols + c * _length, _length), mean);
            T variance = squares / m;
            _mean[c] = mean;
            _invStd[c] = T.One / T.Sqrt(variance + epsilon);
            _runningMean.Values[c] = keep * _runningMean.Values[c] + momentum * mean;
            _runningVar.Values[c] = keep * _runningVar.Values[c] + momentum * variance * unbias;
        }
        _batches.Value++;
    }

    /// <summary><c>Σ (x − μ)²</c>.</summary>
    private static T SumOfSquares(ReadOnlySpan<T> x, T mean)
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            var mu = new Vector<T>(mean);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var d = new Vector<T>(x[i..]) - mu;
                acc += d * d;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++)
            sum += (x[i] - mean) * (x[i] - mean);
        return sum;
    }

    /// <summary><c>Σ g (x − μ)</c>.</summary>
    private static T SumOfProducts(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T mean)
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && x.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            var mu = new Vector<T>(mean);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                acc += new Vector<T>(g[i..]) * (new Vector<T>(x[i..]) - mu);
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++)
            sum += g[i] * (x[i] - mean);
        return sum;
    }

    /// <summary><c>y = (x − μ)·scale + shift</c>, with <c>scale = γ/√(σ² + ε)</c>.</summary>
    private static void Normalise(ReadOnlySpan<T> x, T mean, T scale, T shift, Span<T> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> mu = new(mean), s = new(scale), b = new(shift);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                ((new Vector<T>(x[i..]) - mu) * s + b).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
            y[i] = (x[i] - mean) * scale + shift;
    }

    /// <summary><c>dx = a·g + b·(x − μ) + d</c>.</summary>
    private static void InputGradient(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T a, T b, T mean, T d, Span<T> dx)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> va = new(a), vb = new(b), mu = new(mean), vd = new(d);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                (va * new Vector<T>(g[i..]) + vb * (new Vector<T>(x[i..]) - mu) + vd).CopyTo(dx[i..]);
        }
        for (; i < x.Length; i++)
            dx[i] = a * g[i] + b * (x[i] - mean) + d;
    }
}
