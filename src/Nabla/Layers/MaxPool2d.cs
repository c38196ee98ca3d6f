using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>PyTorch's <c>nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0)</c>: the largest value under each window, per channel.</summary>
public sealed class MaxPool2dKind : PoolKind
{
    private MaxPool2dKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static MaxPool2dKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "MaxPool2d";

    /// <inheritdoc />
    protected override string ShortName => "maxpool";

    /// <inheritdoc />
    protected override string OnnxOperator => "MaxPool";

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        new MaxPool2d<T>(input, spec.Pair("kernel_size"), Stride(spec), spec.Pair("padding"));
}

/// <summary>
/// Max pooling: <c>y[c, oh, ow] = max over the window of x[c, oh·s − p + i, ow·s − p + j]</c>, padding never
/// chosen. The first largest value in the window (row by row) wins a tie, and a NaN wins over numbers, as in PyTorch.
/// </summary>
/// <remarks>
/// Backward: the output is a copy of one input per window, so <c>∂L/∂x</c> receives each <c>G[c, oh, ow]</c> at the
/// window's argmax, summed where overlapping windows pick the same pixel, and zero elsewhere.
/// </remarks>
public sealed unsafe class MaxPool2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SlidingWindow _window;
    private readonly Matrix<T> _output = new(0, 0);
    private readonly Matrix<T> _inputGradient = new(0, 0);
    private int[] _argmax = [];
    private bool _forwarded;

    /// <summary>Pooling over <paramref name="input"/> images with the given window.</summary>
    /// <exception cref="ArgumentException">The window does not fit the padded input, or the padding exceeds half the kernel.</exception>
    public MaxPool2d(SampleShape input, (int Height, int Width) kernel, (int Height, int Width) stride, (int Height, int Width) padding)
    {
        _window = SlidingWindow.ForPooling(input, kernel, stride, padding);
        InputShape = input;
        OutputShape = _window.PooledShape;
    }

    /// <inheritdoc />
    public LayerKind Kind => MaxPool2dKind.Instance;

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
        if (_argmax.Length < _output.Length)
            _argmax = new int[_output.Length];
        fixed (T* x = input.Data, y = _output.Data)
        fixed (int* arg = _argmax)
        {
            var job = new Job { Window = _window, X = x, Y = y, Argmax = arg };
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
        fixed (int* arg = _argmax)
        {
            var job = new Job { Window = _window, X = dx, Y = g, Argmax = arg };
            ParallelRuns.Run(outputGradient.Rows, InputShape.Size, &BackwardRun, &job);
        }
        return _inputGradient;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"MaxPool2d({InputShape} => {OutputShape}, kernel {_window.KernelHeight}×{_window.KernelWidth}, stride {_window.StrideHeight}×{_window.StrideWidth}, padding {_window.PadHeight}×{_window.PadWidth})");

    /// <summary>Pointers into the pinned batch: forward reads X and writes Y; backward reads Y (the gradient) and writes X.</summary>
    private struct Job
    {
        public SlidingWindow Window;
        public T* X, Y;
        public int* Argmax;
    }

    private static void ForwardRun(void* state, int first, int end)
    {
        ref Job job = ref *(Job*)state;
        var w = job.Window;
        int plane = w.Height * w.Width, outPlane = w.OutputPixels;
        for (long n = first; n < end; n++)
        {
            for (int c = 0; c < w.Channels; c++)
            {
                T* x = job.X + n * w.InputSize + c * plane;
                long at = (n * w.Channels + c) * outPlane;
                T* y = job.Y + at;
                int* arg = job.Argmax + at;
                if (w is { KernelHeight: 2, KernelWidth: 2, StrideHeight: 2, StrideWidth: 2, PadHeight: 0, PadWidth: 0 })
                {
                    PoolTwoByTwo(x, w.Width, w.OutputHeight, w.OutputWidth, c * plane, y, arg);
                    continue;
                }
                for (int oy = 0, o = 0; oy < w.OutputHeight; oy++)
                {
                    int top = oy * w.StrideHeight - w.PadHeight;
                    int i0 = Math.Max(0, top), i1 = Math.Min(w.Height, top + w.KernelHeight);
                    for (int ox = 0; ox < w.OutputWidth; ox++, o++)
                    {
                        int left = ox * w.StrideWidth - w.PadWidth;
                        int j0 = Math.Max(0, left), j1 = Math.Min(w.Width, left + w.KernelWidth);
                        T max = T.NegativeInfinity;
                        int best = i0 * w.Width + j0;
                        for (int i = i0; i < i1; i++)
                            for (int j = j0; j < j1; j++)
                            {
                                T v = x[i * w.Width + j];
                                if (v > max || T.IsNaN(v))
                                {
                                    max = v;
                                    best = i * w.Width + j;
                                }
                            }
                        y[o] = max;
                        arg[o] = c * plane + best;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The common 2×2 window with stride 2 and no padding: the same comparisons in the same order as the general loop
    /// (starting from the window's first value instead of −∞ picks the same value and index). Four windows at a time
    /// in vector lanes for float, without branches: on real images which of the four pixels wins is a coin toss that
    /// a branch predictor loses half the time.
    /// </summary>
    private static void PoolTwoByTwo(T* x, int width, int outputHeight, int outputWidth, int offset, T* y, int* arg)
    {
        bool vector = typeof(T) == typeof(float) && Avx2.IsSupported && outputWidth >= 4;
        for (int oy = 0, o = 0; oy < outputHeight; oy++, o += outputWidth)
        {
            int top = 2 * oy * width;
            T* r0 = x + top;
            T* r1 = r0 + width;
            int ox = 0;
            if (vector)
            {
                // The last four windows may overlap ones already done: they are written again with the same values.
                for (; ox < outputWidth; ox += 4)
                    PoolFour((float*)r0, (float*)r1, width, Math.Min(ox, outputWidth - 4), offset + top, (float*)(y + o), arg + o);
                continue;
            }
            for (; ox < outputWidth; ox++)
            {
                int j = 2 * ox, best = top + j;
                T max = r0[j], v = r0[j + 1];
                if (v > max || T.IsNaN(v))
                    (max, best) = (v, top + j + 1);
                v = r1[j];
                if (v > max || T.IsNaN(v))
                    (max, best) = (v, top + width + j);
                v = r1[j + 1];
                if (v > max || T.IsNaN(v))
                    (max, best) = (v, top + width + j + 1);
                y[o + ox] = max;
                arg[o + ox] = offset + best;
            }
        }
    }

    /// <summary>Windows <paramref name="ox"/> to ox + 3 of a row pair: each lane takes b, c, d over the running maximum where it is larger or NaN.</summary>
    private static void PoolFour(float* r0, float* r1, int width, int ox, int start, float* y, int* arg)
    {
        int j = 2 * ox;
        // Each row's eight values [a0 b0 a1 b1 …] regrouped as [a0 a1 a2 a3 | b0 b1 b2 b3].
        var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var top = Avx2.PermuteVar8x32(Avx.LoadVector256(r0 + j), split);
        var bottom = Avx2.PermuteVar8x32(Avx.LoadVector256(r1 + j), split);
        var max = top.GetLower();
        var at = Vector128<int>.Zero;
        Take(ref max, ref at, top.GetUpper(), Vector128.Create(1));
        Take(ref max, ref at, bottom.GetLower(), Vector128.Create(width));
        Take(ref max, ref at, bottom.GetUpper(), Vector128.Create(width + 1));
        max.Store(y + ox);
        (at + Vector128.Create(start + j) + Vector128.Create(0, 2, 4, 6)).Store(arg + ox);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector128<float> max, ref Vector128<int> at, Vector128<float> v, Vector128<int> offset)
    {
        var wins = Sse.Or(Sse.CompareGreaterThan(v, max), Sse.CompareUnordered(v, v));
        max = Sse41.BlendVariable(max, v, wins);
        at = Sse41.BlendVariable(at.AsSingle(), offset.AsSingle(), wins).AsInt32();
    }

    private static void BackwardRun(void* state, int first, int end)
    {
        ref Job job = ref *(Job*)state;
        var w = job.Window;
        int outputs = w.Channels * w.OutputPixels;
        for (long n = first; n < end; n++)
        {
            T* dx = job.X + n * w.InputSize;
            new Span<T>(dx, w.InputSize).Clear();
            T* g = job.Y + n * outputs;
            int* arg = job.Argmax + n * outputs;
            for (int o = 0; o < outputs; o++)
                dx[arg[o]] += g[o];
        }
    }
}
