using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
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
    public override IReadOnlyList<string> OnnxOperators => ["BatchNormalization"];

    /// <summary>ONNX's <c>BatchNormalization</c> in inference form: γ, β, the running mean and variance, and ε.</summary>
    public override string ToOnnx(OnnxLayerExport layer) =>
        layer.Node("BatchNormalization", [layer.InputValue, layer.Tensor("weight"), layer.Tensor("bias"), layer.Tensor("running_mean"), layer.Tensor("running_var")],
            OnnxAttribute.Of("epsilon", (float)layer.Spec.Real("eps")), OnnxAttribute.Of("momentum", (float)(1 - (decimal)layer.Spec.Real("momentum"))));

    /// <summary>ONNX's <c>BatchNormalization</c> in inference form: <c>BatchNorm1d</c> on a row of features, <c>BatchNorm2d</c> on images.</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        var node = layer.Node;
        if (node.Int("training_mode", 0) != 0)
            throw new ArgumentException("BatchNormalization with training_mode=1; Nabla imports the inference form");
        int channels = layer.Input.IsImage ? layer.Input.Channels : layer.Input.Size;
        string[] names = ["weight", "bias", "running_mean", "running_var"];
        for (int i = 0; i < names.Length; i++)
            layer.SetTensor(names[i], layer.Vector(node, i + 1, channels, names[i]));
        // ONNX's momentum weighs the running statistic, PyTorch's the batch's: m = 1 − momentum. Defaults are left out.
        double eps = OnnxLayerImport.Decimal(node.Float("epsilon", 1e-5f)), momentum = (double)(1 - (decimal)OnnxLayerImport.Decimal(node.Float("momentum", 0.9f)));
        var options = new List<KeyValuePair<string, OptionValue>>();
        if (eps != 1e-5)
            options.Add(new("eps", OptionValue.Of(eps)));
        if (momentum != 0.1)
            options.Add(new("momentum", OptionValue.Of(momentum)));
        return new LayerSpec(layer.Input.IsImage ? "BatchNorm2d" : "BatchNorm1d", options);
    }

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
public sealed unsafe class BatchNorm<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
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
        _output.Reshape(input.Rows, input.Cols);
        if (training)
            _batches.Value++;
        fixed (T* x = input.Data, y = _output.Data, gamma = Weight.Value.Data, beta = Bias.Value.Data, mean = _mean, invStd = _invStd,
            runningMean = _runningMean.Values, runningVar = _runningVar.Values)
        {
            var job = new Job
            {
                Rows = input.Rows, Length = _length, Stride = input.Cols, Training = training, Epsilon = T.CreateChecked(Epsilon),
                Momentum = T.CreateChecked(Momentum), X = x, Y = y, Gamma = gamma, Beta = beta, Mean = mean, InvStd = invStd,
                RunningMean = runningMean, RunningVar = runningVar,
            };
            ParallelRuns.Run(_channels, count, &ForwardChannels, &job);
        }
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _input is null ? null : _output, outputGradient);
        var input = _input!;
        _inputGradient.Reshape(input.Rows, input.Cols);
        fixed (T* x = input.Data, g = outputGradient.Data, dx = _inputGradient.Data, gamma = Weight.Value.Data, mean = _mean, invStd = _invStd,
            gammaGradient = Weight.Gradient.Data, betaGradient = Bias.Gradient.Data)
        {
            var job = new Job
            {
                Rows = input.Rows, Length = _length, Stride = input.Cols, Training = _batchStatistics, X = x, Y = g, InputGradient = dx,
                Gamma = gamma, Mean = mean, InvStd = invStd, GammaGradient = gammaGradient, BetaGradient = betaGradient,
            };
            ParallelRuns.Run(_channels, input.Rows * _length, &BackwardChannels, &job);
        }
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind.Name}({_channels})";

    /// <summary>Pointers into the pinned batch and per-channel arrays, shared with the worker threads; Y is the output forward and the output gradient backward.</summary>
    private struct Job
    {
        public int Rows, Length, Stride;
        public bool Training;
        public T Epsilon, Momentum;
        public T* X, Y, InputGradient, Gamma, Beta, Mean, InvStd, RunningMean, RunningVar, GammaGradient, BetaGradient;
    }

    /// <summary>Channel <paramref name="c"/>'s values in sample <paramref name="n"/>: a run of L.</summary>
    private static Span<T> Run(T* values, in Job job, int n, int c) => new(values + (long)n * job.Stride + (long)c * job.Length, job.Length);

    /// <summary>
    /// For each channel: in training the batch's mean and biased variance (two passes) and the running statistics'
    /// update, else the running statistics; then <c>y = (x − μ)·γ/√(σ² + ε) + β</c>.
    /// </summary>
    private static void ForwardChannels(void* state, int first, int end)
    {
        ref Job job = ref *(Job*)state;
        int count = job.Rows * job.Length;
        T m = T.CreateChecked(count), keep = T.One - job.Momentum, unbias = T.CreateChecked((double)count / Math.Max(1, count - 1));
        for (int c = first; c < end; c++)
        {
            if (job.Training)
            {
                T sum = T.Zero, squares = T.Zero;
                for (int n = 0; n < job.Rows; n++)
                    sum += TensorPrimitives.Sum<T>(Run(job.X, in job, n, c));
                T mean = sum / m;
                for (int n = 0; n < job.Rows; n++)
                    squares += SumOfSquares(Run(job.X, in job, n, c), mean);
                T variance = squares / m;
                job.Mean[c] = mean;
                job.InvStd[c] = T.One / T.Sqrt(variance + job.Epsilon);
                job.RunningMean[c] = keep * job.RunningMean[c] + job.Momentum * mean;
                job.RunningVar[c] = keep * job.RunningVar[c] + job.Momentum * variance * unbias;
            }
            else
            {
                job.Mean[c] = job.RunningMean[c];
                job.InvStd[c] = T.One / T.Sqrt(job.RunningVar[c] + job.Epsilon);
            }
            T scale = job.Gamma[c] * job.InvStd[c];
            for (int n = 0; n < job.Rows; n++)
                Normalise(Run(job.X, in job, n, c), job.Mean[c], scale, job.Beta[c], Run(job.Y, in job, n, c));
        }
    }

    /// <summary>For each channel: <c>∂L/∂γ += Σ G x̂</c>, <c>∂L/∂β += Σ G</c>, and <c>∂L/∂x</c> (see the class remarks).</summary>
    private static void BackwardChannels(void* state, int first, int end)
    {
        ref Job job = ref *(Job*)state;
        T m = T.CreateChecked(job.Rows * job.Length);
        for (int c = first; c < end; c++)
        {
            T mean = job.Mean[c], invStd = job.InvStd[c], sumG = T.Zero, sumGx = T.Zero;
            for (int n = 0; n < job.Rows; n++)
            {
                var g = Run(job.Y, in job, n, c);
                sumG += TensorPrimitives.Sum<T>(g);
                sumGx += SumOfProducts(g, Run(job.X, in job, n, c), mean);
            }
            // Σ G x̂ = Σ G (x − μ) / √(σ² + ε).
            job.GammaGradient[c] += sumGx * invStd;
            job.BetaGradient[c] += sumG;
            // ∂L/∂x = a G + b (x − μ) + d: a = γ/√(σ² + ε), and with batch statistics b = −a Σ G (x − μ) / (M (σ² + ε)), d = −a Σ G / M.
            T a = job.Gamma[c] * invStd, b = T.Zero, d = T.Zero;
            if (job.Training)
            {
                b = -a * invStd * invStd * sumGx / m;
                d = -a * sumG / m;
            }
            for (int n = 0; n < job.Rows; n++)
                InputGradient(Run(job.Y, in job, n, c), Run(job.X, in job, n, c), a, b, mean, d, Run(job.InputGradient, in job, n, c));
        }
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
