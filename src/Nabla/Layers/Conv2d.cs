using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// PyTorch's <c>nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
/// bias=True)</c>, spelled <c>Conv2d(out_channels, kernel_size, …)</c> when the input channels are inferred
/// (<c>LazyConv2d</c>): images C×H×W in, <c>out_channels</c>×OH×OW out; <c>weight</c> [out, in, kh, kw] and
/// <c>bias</c> [out]. Kernel, stride and padding are a number or a pair (height, width); dilation and groups
/// other than 1 are refused.
/// </summary>
public sealed class Conv2dKind : LayerKind
{
    private Conv2dKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static Conv2dKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Conv2d";

    /// <inheritdoc />
    public override IReadOnlyList<LayerOption> Options { get; } =
    [
        new("in_channels", OptionType.Int),
        new("out_channels", OptionType.Int),
        new("kernel_size", OptionType.IntPair),
        new("stride", OptionType.IntPair, OptionValue.Of(1)),
        new("padding", OptionType.IntPair, OptionValue.Of(0)),
        new("dilation", OptionType.IntPair, OptionValue.Of(1)),
        new("groups", OptionType.Int, OptionValue.Of(1)),
        new("bias", OptionType.Bool, OptionValue.Of(true)),
    ];

    /// <inheritdoc />
    public override int InferredOptions => 1;

    /// <inheritdoc />
    public override LayerRole Role => LayerRole.Affine;

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        new Conv2d<T>(input, spec.Int("out_channels"), spec.Pair("kernel_size"), spec.Pair("stride"), spec.Pair("padding"),
            spec.Flag("bias"), initializer, rng);

    /// <inheritdoc />
    public override IReadOnlyList<TensorSpec> Tensors(LayerSpec spec, SampleShape input)
    {
        var (kh, kw) = spec.Pair("kernel_size");
        int outputs = spec.Int("out_channels");
        var weight = new TensorSpec("weight", [outputs, spec.Int("in_channels"), kh, kw]);
        return spec.Flag("bias") ? [weight, new TensorSpec("bias", [outputs])] : [weight];
    }

    /// <summary>A convolution reads as its kernel and output: <c>"conv3×3 32×28×28"</c>.</summary>
    public override (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output)
    {
        var (kh, kw) = spec.Pair("kernel_size");
        return (string.Create(CultureInfo.InvariantCulture, $"conv{kh}×{kw} {output}"), true);
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> OnnxOperators => ["Conv"];

    /// <summary>ONNX's <c>Conv</c> with the weight [out, in, kh, kw] as PyTorch stores it, strides and symmetric pads.</summary>
    public override string ToOnnx(OnnxLayerExport layer)
    {
        var ((kh, kw), (sh, sw), (ph, pw)) = (layer.Spec.Pair("kernel_size"), layer.Spec.Pair("stride"), layer.Spec.Pair("padding"));
        string[] inputs = layer.Spec.Flag("bias") ? [layer.InputValue, layer.Tensor("weight"), layer.Tensor("bias")] : [layer.InputValue, layer.Tensor("weight")];
        return layer.Node("Conv", inputs, OnnxAttribute.Of("kernel_shape", [kh, kw]), OnnxAttribute.Of("strides", [sh, sw]), OnnxAttribute.Of("pads", [ph, pw, ph, pw]));
    }

    /// <summary>ONNX's <c>Conv</c> of one group and no dilation, with a constant weight [out, in, kh, kw] and an optional bias.</summary>
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        var node = layer.Node;
        if (node.Int("group", 1) != 1 || OnnxLayerImport.Pair(node, "dilations", (1, 1)) != (1, 1))
            throw new ArgumentException($"Conv with group={node.Int("group", 1)} and dilations {OnnxLayerImport.Pair(node, "dilations", (1, 1))}; Conv2d takes group 1 and no dilation");
        var w = layer.FloatConstant(node, 1, "weight") ?? throw new ArgumentException("it has no weight input");
        if (w.Dims is not [>= 1 and <= int.MaxValue, var channels, >= 1 and <= int.MaxValue, >= 1 and <= int.MaxValue] || !layer.Input.IsImage || channels != layer.Input.Channels)
            throw new ArgumentException($"its weight is {OnnxLayerImport.DimsText(w.Dims)}; expected [out, {(layer.Input.IsImage ? layer.Input.Channels : "C")}, kh, kw] for a {layer.Input} input");
        var (ph, pw) = OnnxLayerImport.Padding(node);
        var (sh, sw) = OnnxLayerImport.Pair(node, "strides", (1, 1));
        bool bias = layer.FloatConstant(node, 2, "bias") is not null;
        layer.SetTensor("weight", w.Floats!);
        if (bias)
            layer.SetTensor("bias", layer.Vector(node, 2, (int)w.Dims[0], "bias"));
        // Options at PyTorch's defaults are left out, so a network comes back as it was spelled.
        var options = new List<KeyValuePair<string, OptionValue>>
        {
            new("out_channels", OptionValue.Of(w.Dims[0])),
            new("kernel_size", OnnxLayerImport.PairOption(((int)w.Dims[2], (int)w.Dims[3]))),
        };
        if ((sh, sw) != (1, 1))
            options.Add(new("stride", OnnxLayerImport.PairOption((sh, sw))));
        if ((ph, pw) != (0, 0))
            options.Add(new("padding", OnnxLayerImport.PairOption((ph, pw))));
        if (!bias)
            options.Add(new("bias", OptionValue.Of(false)));
        return new LayerSpec(Name, options);
    }

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
    {
        RequireImage(spec, input);
        RequireAtLeast(spec, "out_channels", 1);
        RequireAtLeast(spec, "kernel_size", 1);
        RequireAtLeast(spec, "stride", 1);
        RequireAtLeast(spec, "padding", 0);
        if (spec.Pair("dilation") != (1, 1))
            throw new ArgumentException($"{spec}: only dilation=1 is supported; received dilation={spec.Value("dilation")}.");
        if (spec.Int("groups") != 1)
            throw new ArgumentException($"{spec}: only groups=1 is supported; received groups={spec.Int("groups")}.");
        if (spec.Given("in_channels") is { } given && spec.Int("in_channels") != input.Channels)
            throw new ArgumentException(
                $"{spec} takes {given} input channel{(spec.Int("in_channels") == 1 ? "" : "s")}; received {input}.");
        var (kh, kw) = spec.Pair("kernel_size");
        var (sh, sw) = spec.Pair("stride");
        var (ph, pw) = spec.Pair("padding");
        int oh = SlidingWindow.OutputSize(input.Height, kh, sh, ph), ow = SlidingWindow.OutputSize(input.Width, kw, sw, pw);
        if (oh < 1 || ow < 1)
            throw new ArgumentException($"{spec} shrinks a {input} input below 1×1 (a {kh}×{kw} kernel over {input.Height}×{input.Width} with padding {ph}×{pw}).");
        return (InOrder(spec.With("in_channels", OptionValue.Of(input.Channels))), SampleShape.Image(spec.Int("out_channels"), oh, ow));
    }
}

/// <summary>
/// 2-D convolution (PyTorch's cross-correlation) over images stored one per row, C-major:
/// <c>Y_n = W·X̃_n + b</c>, where <c>X̃_n</c> = im2col(<c>X_n</c>) is the [C·kh·kw, OH·OW] matrix whose column
/// <c>p</c> is the zero-padded input patch under output position <c>p</c> (see <see cref="Im2col"/>), <c>W</c> is
/// [out, C·kh·kw] (the file shape [out, C, kh, kw] in the same memory order) and <c>b</c> is added to every position
/// of its channel. <c>Y_n</c> [out, OH·OW] is the sample's output row as it stands.
/// </summary>
/// <remarks>
/// Backward, for <c>G_n = ∂L/∂Y_n</c> [out, OH·OW]: <c>∂L/∂W = Σ_n G_n·X̃_nᵀ</c> (computed as its transpose
/// <c>Σ_n X̃_n·G_nᵀ</c>), <c>∂L/∂b_o = Σ_n Σ_p G_n[o, p]</c>,
/// and <c>∂L/∂X_n = col2im(Wᵀ·G_n)</c>, col2im adding each patch entry's gradient to the pixel it was copied from.
/// The backward pass rebuilds each sample's patches, which stay in cache, rather than keep the whole batch's.
/// <para>
/// The samples are cut into at most <see cref="MaxParts"/> runs that the worker threads (<see cref="Parallelism"/>)
/// take in parallel, each product on one thread. Each run sums its samples' weight and bias gradients in sample order
/// and the runs' sums are added in run order; the number of runs depends on the batch size alone, so the bits do not
/// depend on the thread count.
/// </para>
/// </remarks>
public sealed unsafe class Conv2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Most runs a batch is cut into: several per thread, so when the scheduler takes a worker away (a shared
    /// machine) the caller waits for one short run at most and takes the rest itself.
    /// </summary>
    internal const int MaxParts = 8;

    private readonly SlidingWindow _window;
    private readonly Parameter<T>[] _parameters;
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private T[] _partials = [];
    [ThreadStatic] private static T[]? t_patches;
    private Matrix<T>? _input;

    /// <summary>
    /// A convolution over <paramref name="input"/> images with explicit starting values: <paramref name="weight"/> is
    /// [out, C·kh·kw] (PyTorch's [out, C, kh, kw] flattened), <paramref name="bias"/> has one value per output channel,
    /// or is null for none.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not agree, or the kernel does not fit the padded input.</exception>
    public Conv2d(SampleShape input, Matrix<T> weight, T[]? bias, (int Height, int Width) kernel, (int Height, int Width) stride,
        (int Height, int Width) padding)
    {
        _window = SlidingWindow.Over(input, kernel, stride, padding);
        if (weight.Rows < 1 || weight.Cols != _window.PatchSize)
            throw new ArgumentException(
                $"Expected a weight of [out, {_window.PatchSize}] ({input.Channels} channels × {kernel.Height}×{kernel.Width}); received {weight.Rows}x{weight.Cols}.", nameof(weight));
        if (bias is not null && bias.Length != weight.Rows)
            throw new ArgumentException($"Expected {weight.Rows} bias values (one per output channel); received {bias.Length}.", nameof(bias));
        var w = new Parameter<T>("weight", weight, ParameterRole.Weight, [weight.Rows, input.Channels, kernel.Height, kernel.Width]);
        _parameters = bias is null ? [w] : [w, new Parameter<T>("bias", new Matrix<T>(1, bias.Length, bias), ParameterRole.Bias)];
        InputShape = input;
        OutputShape = SampleShape.Image(weight.Rows, _window.OutputHeight, _window.OutputWidth);
    }

    /// <summary>
    /// A convolution of <paramref name="outChannels"/> filters over <paramref name="input"/> images, weights drawn by
    /// <paramref name="initializer"/> with PyTorch's fans for convolutions (<c>fan_in = C·kh·kw</c>,
    /// <c>fan_out = out·kh·kw</c>), then biases with the same fans (zero unless it draws them: <see cref="IInitializer.FillBias"/>).
    /// </summary>
    public Conv2d(SampleShape input, int outChannels, (int Height, int Width) kernel, (int Height, int Width) stride,
        (int Height, int Width) padding, bool bias, IInitializer initializer, Rng rng)
        : this(input, Initialized(input, outChannels, kernel, initializer, rng), bias ? Biases(input, outChannels, kernel, initializer, rng) : null,
            kernel, stride, padding)
    {
    }

    /// <inheritdoc />
    public LayerKind Kind => Conv2dKind.Instance;

    /// <summary>The shape of one input sample, C×H×W.</summary>
    public SampleShape InputShape { get; }

    /// <summary>The shape of one output sample, out×OH×OW.</summary>
    public SampleShape OutputShape { get; }

    /// <summary>The weight, [out, C·kh·kw] (file shape [out, C, kh, kw]).</summary>
    public Parameter<T> Weight => _parameters[0];

    /// <summary>The bias, [1, out], or null when the layer has none.</summary>
    public Parameter<T>? Bias => _parameters.Length > 1 ? _parameters[1] : null;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        if (input.Cols != _window.InputSize)
            throw new ArgumentException($"{this} expects {_window.InputSize} values per sample ({InputShape}); received {input.Cols}.", nameof(input));
        _input = input;
        int rows = input.Rows, parts = PartsFor(rows);
        _output.Reshape(rows, OutputShape.Size);
        fixed (T* x = input.Data, y = _output.Data, w = Weight.Value.Data, b = Bias?.Value.Data)
        {
            var job = new Job { Window = _window, Outputs = Weight.Value.Rows, Rows = rows, Parts = parts, Input = x, Output = y, Weight = w, Bias = b };
            Workers.Run(Math.Min(Parallelism.MaxThreads, parts), parts, &ForwardPart, &job);
        }
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        Backward(outputGradient, inputGradient: true);
        return _inputGradient;
    }

    /// <summary>The parameter half of <see cref="Backward(Matrix{T})"/>: skips the input gradient (col2im and its product), which nothing needs for a network's first layer.</summary>
    public void BackwardParameters(Matrix<T> outputGradient) => Backward(outputGradient, inputGradient: false);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Conv2d({InputShape} => {OutputShape}, kernel {_window.KernelHeight}×{_window.KernelWidth}, stride {_window.StrideHeight}×{_window.StrideWidth}, padding {_window.PadHeight}×{_window.PadWidth})");

    private void Backward(Matrix<T> outputGradient, bool inputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _input is null ? null : _output, outputGradient);
        int rows = outputGradient.Rows, parts = PartsFor(rows), outputs = Weight.Value.Rows, patch = _window.PatchSize;
        EnsurePartials(parts);
        if (inputGradient)
            _inputGradient.Reshape(rows, _window.InputSize);
        fixed (T* x = _input!.Data, g = outputGradient.Data, w = Weight.Value.Data, partials = _partials, dx = _inputGradient.Data)
        {
            var job = new Job
            {
                Window = _window, Outputs = outputs, Rows = rows, Parts = parts, Input = x, OutputGradient = g, Weight = w,
                Partials = partials, InputGradient = inputGradient ? dx : null,
            };
            Workers.Run(Math.Min(Parallelism.MaxThreads, parts), parts, &BackwardPart, &job);
        }
        AddPartials(parts, outputs, patch);
    }

    /// <summary>
    /// Adds the runs' sums in run order (zero for an empty batch) and then into the gradients, transposing the
    /// weight's: the runs sum <c>∂L/∂Wᵀ</c>.
    /// </summary>
    private void AddPartials(int parts, int outputs, int patch)
    {
        var sum = _partials.AsSpan(0, outputs * patch + outputs);
        if (parts == 0)
            sum.Clear();
        for (int part = 1; part < parts; part++)
            TensorPrimitives.Add(sum, _partials.AsSpan(part * sum.Length, sum.Length), sum);
        var weightGradient = Weight.GradientToAdd(out bool overwrite).Span;
        for (int o = 0; o < outputs; o++)
        {
            var row = weightGradient.Slice(o * patch, patch);
            for (int k = 0; k < patch; k++)
                row[k] = overwrite ? sum[k * outputs + o] : row[k] + sum[k * outputs + o];
        }
        if (Bias is { } bias)
        {
            var biasGradient = bias.GradientToAdd(out bool overwriteBias).Span;
            var biasSum = sum.Slice(outputs * patch, outputs);
            if (overwriteBias)
                biasSum.CopyTo(biasGradient);
            else
                TensorPrimitives.Add(biasGradient, biasSum, biasGradient);
        }
    }

    private static int PartsFor(int rows) => Math.Min(rows, MaxParts);

    private void EnsurePartials(int parts)
    {
        parts = Math.Max(parts, 1);
        int outputs = Weight.Value.Rows;
        int partials = parts * (outputs * _window.PatchSize + outputs);
        if (_partials.Length < partials)
            _partials = new T[partials];
    }

    /// <summary>
    /// This thread's patch matrix of <paramref name="length"/> values: one per thread rather than per run, so it stays
    /// in the core's cache from one run to the next. A thread runs one run at a time, and nothing a run calls uses it.
    /// </summary>
    private static Span<T> Patches(int length)
    {
        if (t_patches is not { } patches || patches.Length < length)
            t_patches = patches = new T[length];
        return patches.AsSpan(0, length);
    }

    /// <summary>What a run needs: raw pointers into pinned buffers, shared with the worker threads.</summary>
    private struct Job
    {
        public SlidingWindow Window;
        public int Outputs, Rows, Parts;
        public T* Input, Output, Weight, Bias, Partials, OutputGradient, InputGradient;
    }

    /// <summary>The samples of run <paramref name="part"/>: a contiguous range.</summary>
    private static (int First, int End) Samples(in Job job, int part) =>
        ((int)((long)job.Rows * part / job.Parts), (int)((long)job.Rows * (part + 1) / job.Parts));

    /// <summary><c>Y_n = W·X̃_n + b</c> for the run's samples.</summary>
    private static void ForwardPart(void* state, int part)
    {
        ref Job job = ref *(Job*)state;
        var w = job.Window;
        int outputs = job.Outputs, pixels = w.OutputPixels, patch = w.PatchSize;
        var columns = Patches(patch * pixels);
        var weight = new ReadOnlySpan<T>(job.Weight, outputs * patch);
        var (first, end) = Samples(in job, part);
        for (int n = first; n < end; n++)
        {
            var x = new ReadOnlySpan<T>(job.Input + (long)n * w.InputSize, w.InputSize);
            var y = new Span<T>(job.Output + (long)n * outputs * pixels, outputs * pixels);
            Im2col.Columns(in w, x, columns);
            Multiply(outputs, pixels, patch, weight, patch, false, columns, pixels, false, y, pixels, false, job.Parts);
            if (job.Bias != null)
                for (int o = 0; o < outputs; o++)
                {
                    var channel = y.Slice(o * pixels, pixels);
                    TensorPrimitives.Add(channel, job.Bias[o], channel);
                }
        }
    }

    /// <summary>The run's weight and bias gradient sums and, when asked, each sample's input gradient.</summary>
    private static void BackwardPart(void* state, int part)
    {
        ref Job job = ref *(Job*)state;
        var w = job.Window;
        int outputs = job.Outputs, pixels = w.OutputPixels, patch = w.PatchSize;
        var columns = Patches(patch * pixels);
        var weight = new ReadOnlySpan<T>(job.Weight, outputs * patch);
        var weightSum = new Span<T>(job.Partials + (long)part * (outputs * patch + outputs), outputs * patch);
        var biasSum = new Span<T>(job.Partials + (long)part * (outputs * patch + outputs) + outputs * patch, outputs);
        var (first, end) = Samples(in job, part);
        for (int n = first; n < end; n++)
        {
            var x = new ReadOnlySpan<T>(job.Input + (long)n * w.InputSize, w.InputSize);
            var g = new ReadOnlySpan<T>(job.OutputGradient + (long)n * outputs * pixels, outputs * pixels);
            Im2col.Columns(in w, x, columns);
            // ∂L/∂Wᵀ += X̃_n·G_nᵀ: [C·kh·kw, OH·OW] times [OH·OW, out]. This way round the product transposes the
            // small G_n, not the patches (cnn-mnist's second convolution: 20% faster than G_n·X̃_nᵀ).
            Multiply(patch, outputs, pixels, columns, pixels, false, g, pixels, true, weightSum, outputs, n > first, job.Parts);
            for (int o = 0; o < outputs; o++)
            {
                T sum = TensorPrimitives.Sum(g.Slice(o * pixels, pixels));
                biasSum[o] = n > first ? biasSum[o] + sum : sum;
            }
            if (job.InputGradient == null)
                continue;
            // ∂L/∂X̃_n = Wᵀ·G_n, written over the patches, which the weight gradient no longer needs.
            Multiply(patch, pixels, outputs, weight, patch, true, g, pixels, false, columns, pixels, false, job.Parts);
            var dx = new Span<T>(job.InputGradient + (long)n * w.InputSize, w.InputSize);
            dx.Clear();
            Im2col.AddColumns(in w, columns, dx);
        }
    }

    /// <summary>
    /// One product on the calling thread when the runs are the parallel work; with a single run (one sample, as in
    /// prediction) the product may split itself. Which thread computes a tile never changes the bits.
    /// </summary>
    private static void Multiply(int m, int n, int k, ReadOnlySpan<T> a, int lda, bool transposeA, ReadOnlySpan<T> b, int ldb, bool transposeB,
        Span<T> c, int ldc, bool accumulate, int parts)
    {
        if (typeof(T) == typeof(float))
            Gemm.Multiply(m, n, k, MemoryMarshal.Cast<T, float>(a), lda, transposeA, MemoryMarshal.Cast<T, float>(b), ldb, transposeB,
                MemoryMarshal.Cast<T, float>(c), ldc, accumulate, new GemmOptions(Threads: parts == 1 ? 0 : 1));
        else
            Gemm.Multiply(m, n, k, a, lda, transposeA, b, ldb, transposeB, c, ldc, accumulate);
    }

    private static T[] Biases(SampleShape input, int outChannels, (int Height, int Width) kernel, IInitializer initializer, Rng rng)
    {
        int area = kernel.Height * kernel.Width;
        var bias = new T[outChannels];
        initializer.FillBias<T>(bias, fanIn: input.Channels * area, fanOut: outChannels * area, rng);
        return bias;
    }

    private static Matrix<T> Initialized(SampleShape input, int outChannels, (int Height, int Width) kernel, IInitializer initializer, Rng rng)
    {
        if (!input.IsImage)
            throw new ArgumentException($"Expected an image shape (C×H×W); received {input}.", nameof(input));
        if (outChannels < 1 || kernel.Height < 1 || kernel.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(outChannels),
                $"Expected at least one output channel and a kernel of at least 1×1; received out_channels={outChannels}, kernel {kernel.Height}×{kernel.Width}.");
        int area = kernel.Height * kernel.Width;
        var weight = new Matrix<T>(outChannels, input.Channels * area);
        initializer.Fill(weight, fanIn: input.Channels * area, fanOut: outChannels * area, rng);
        return weight;
    }
}
