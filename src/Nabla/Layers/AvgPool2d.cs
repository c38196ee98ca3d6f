using System.Globalization;
using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// PyTorch's <c>nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0)</c> with its default
/// <c>count_include_pad=True</c>: the mean of each window, padding counted as zeros.
/// </summary>
public sealed class AvgPool2dKind : PoolKind
{
    private AvgPool2dKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static AvgPool2dKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "AvgPool2d";

    /// <inheritdoc />
    protected override string ShortName => "avgpool";

    /// <inheritdoc />
    protected override string OnnxOperator => "AveragePool";

    /// <summary>Padding counts as zeros in the mean, as in PyTorch.</summary>
    protected override IReadOnlyList<OnnxAttribute> OnnxAttributes => [OnnxAttribute.Of("count_include_pad", 1L)];

    /// <summary>ONNX's <c>AveragePool</c>, and <c>Pad</c> by zeros followed by <c>AveragePool</c>: PyTorch's export of <c>count_include_pad=True</c>.</summary>
    public override IReadOnlyList<string> OnnxOperators => ["AveragePool", "Pad"];

    /// <inheritdoc />
    public override LayerSpec FromOnnx(OnnxLayerImport layer)
    {
        var node = layer.Node;
        if (node.OpType != "Pad")
            return base.FromOnnx(layer);
        // pads = [N, C, top, left, N, C, bottom, right] begin then end; the mode and value must make zeros.
        var pads = layer.Int64Constant(node, 1, "pads") ?? node.Ints("pads")?.ToArray() ?? [];
        if (pads is not [0, 0, >= 0 and <= int.MaxValue, >= 0 and <= int.MaxValue, 0, 0, _, _] || pads[2] != pads[6] || pads[3] != pads[7]
            || node.Attribute("mode") is { Text: not ("" or "constant") } || layer.FloatConstant(node, 2, "constant_value") is { Floats: not [0] })
            throw new ArgumentException($"Pad by {OnnxLayerImport.DimsText(pads)}; Nabla takes a Pad only as an AvgPool2d's padding (zeros, even on both sides, then AveragePool)");
        if (layer.Next is not { OpType: "AveragePool" })
            throw new ArgumentException("a Pad not followed by AveragePool; Nabla takes a Pad only as an AvgPool2d's padding");
        return FromOnnx(layer.TakeNext(), ((int)pads[2], (int)pads[3]));
    }

    /// <inheritdoc />
    protected override void CheckOnnxAttributes(OnnxNode node, (int Height, int Width) padding)
    {
        if (padding != (0, 0) && node.Int("count_include_pad", 0) != 1)
            throw new ArgumentException("AveragePool with padding and count_include_pad=0; AvgPool2d counts the padding as zeros (count_include_pad=1)");
    }

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        new AvgPool2d<T>(input, spec.Pair("kernel_size"), Stride(spec), spec.Pair("padding"));
}

/// <summary>
/// Average pooling: <c>y[c, oh, ow] = (1 / (kh·kw)) Σ_{i,j} x[c, oh·s − p + i, ow·s − p + j]</c>, padding counting
/// as zeros in the sum and in the divisor (PyTorch's <c>count_include_pad=True</c>).
/// </summary>
/// <remarks>
/// Backward: each output is linear in its window, so <c>∂L/∂x[c, h, w] = Σ over the windows covering (h, w) of
/// G[c, oh, ow] / (kh·kw)</c>.
/// </remarks>
public sealed unsafe class AvgPool2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SlidingWindow _window;
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private bool _forwarded;

    /// <summary>Pooling over <paramref name="input"/> images with the given window.</summary>
    /// <exception cref="ArgumentException">The window does not fit the padded input, or the padding exceeds half the kernel.</exception>
    public AvgPool2d(SampleShape input, (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        _window = SlidingWindow.ForPooling(input, kernel, stride, padding);
        InputShape = input;
        OutputShape = _window.PooledShape;
    }

    /// <inheritdoc />
    public LayerKind Kind => AvgPool2dKind.Instance;

    /// <inheritdoc />
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>The shape of one input sample.</summary>
    public SampleShape InputShape { get; }

    /// <summary>The shape of one output sample.</summary>
    public SampleShape OutputShape { get; }

    /// <inheritdoc />
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        if (input.Cols != InputShape.Size)
            throw new ArgumentException($"{this} expects {InputShape.Size} values per sample ({InputShape}); received {input.Cols}.", nameof(input));
        _output.Reshape(input.Rows, OutputShape.Size);
        fixed (T* x = input.Data, y = _output.Data)
        {
            var job = new Job { Window = _window, X = x, Y = y };
            ParallelRuns.Run(input.Rows, InputShape.Size, &ForwardRun, &job);
        }
        _forwarded = true;
        return _output;
    }

    /// <inheritdoc />
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        LayerChecks.SameShape(Kind.Name, _forwarded ? _output : null, outputGradient);
        _inputGradient.Reshape(outputGradient.Rows, InputShape.Size);
        fixed (T* g = outputGradient.Data, dx = _inputGradient.Data)
        {
            var job = new Job { Window = _window, X = dx, Y = g };
            ParallelRuns.Run(outputGradient.Rows, InputShape.Size, &BackwardRun, &job);
        }
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"AvgPool2d({InputShape} => {OutputShape}, kernel {_window.KernelHeight}×{_window.KernelWidth}, stride {_window.StrideHeight}×{_window.StrideWidth}, padding {_window.PadHeight}×{_window.PadWidth})");

    /// <summary>Pointers into the pinned batch: forward reads X and writes Y; backward reads Y (the gradient) and writes X.</summary>
    private struct Job
    {
        public SlidingWindow Window;
        public T* X, Y;
    }

    private static void ForwardRun(void* state, int first, int end)
    {
        ref Job job = ref *(Job*)state;
        var w = job.Window;
        int plane = w.Height * w.Width, outPlane = w.OutputPixels;
        T divisor = T.CreateChecked(w.KernelHeight * w.KernelWidth);
        for (long n = first; n < end; n++)
        {
            for (int c = 0; c < w.Channels; c++)
            {
                T* x = job.X + n * w.InputSize + c * plane;
                T* y = job.Y + (n * w.Channels + c) * outPlane;
                for (int oy = 0, o = 0; oy < w.OutputHeight; oy++)
                {
                    int top = oy * w.StrideHeight - w.PadHeight;
                    int i0 = Math.Max(0, top), i1 = Math.Min(w.Height, top + w.KernelHeight);
                    for (int ox = 0; ox < w.OutputWidth; ox++, o++)
                    {
                        int left = ox * w.StrideWidth - w.PadWidth;
                        int j0 = Math.Max(0, left), j1 = Math.Min(w.Width, left + w.KernelWidth);
                        T sum = T.Zero;
                        for (int i = i0; i < i1; i++)
                            for (int j = j0; j < j1; j++)
                                sum += x[i * w.Width + j];
                        y[o] = sum / divisor;
                    }
                }
            }
        }
    }

    private static void BackwardRun(void* state, int first, int end)
    {
        ref Job job = ref *(Job*)state;
        var w = job.Window;
        int plane = w.Height * w.Width, outPlane = w.OutputPixels;
        T divisor = T.CreateChecked(w.KernelHeight * w.KernelWidth);
        for (long n = first; n < end; n++)
        {
            new Span<T>(job.X + n * w.InputSize, w.InputSize).Clear();
            for (int c = 0; c < w.Channels; c++)
            {
                T* dx = job.X + n * w.InputSize + c * plane;
                T* g = job.Y + (n * w.Channels + c) * outPlane;
                for (int oy = 0, o = 0; oy < w.OutputHeight; oy++)
                {
                    int top = oy * w.StrideHeight - w.PadHeight;
                    int i0 = Math.Max(0, top), i1 = Math.Min(w.Height, top + w.KernelHeight);
                    for (int ox = 0; ox < w.OutputWidth; ox++, o++)
                    {
                        int left = ox * w.StrideWidth - w.PadWidth;
                        int j0 = Math.Max(0, left), j1 = Math.Min(w.Width, left + w.KernelWidth);
                        T share = g[o] / divisor;
                        for (int i = i0; i < i1; i++)
                            for (int j = j0; j < j1; j++)
                                dx[i * w.Width + j] += share;
                    }
                }
            }
        }
    }
}
