using System.Numerics;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Optimizers;

/// <summary>
/// RMSprop (Hinton's lecture 6e; PyTorch's <c>RMSprop</c>): the step is divided by a running root mean square
/// of the gradient, <c>g′ = g + λW</c>, <c>a ← ρa + (1 − ρ)g′²</c>, <c>d = √a + ε</c>, <c>W ← W − α g′/d</c>.
/// Centered, it divides by an estimate of the gradient's standard deviation instead:
/// <c>ḡ ← ρḡ + (1 − ρ)g′</c>, <c>d = √(a − ḡ²) + ε</c>. With momentum μ &gt; 0 the quotient is accumulated,
/// <c>b ← μb + g′/d</c>, <c>W ← W − αb</c>. λ applies to weights, not biases.
/// </summary>
public sealed class RmsProp<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, Buffers> _buffers = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">α.</param>
    /// <param name="alpha">ρ in [0, 1), the decay of the running averages.</param>
    /// <param name="epsilon">ε &gt; 0, added to the root mean square.</param>
    /// <param name="weightDecay">L2 coefficient λ for weights.</param>
    /// <param name="momentum">μ in [0, 1).</param>
    /// <param name="centered">Divide by the gradient's running standard deviation rather than its root mean square.</param>
    /// <param name="maxGradientNorm">Clip the global gradient norm to this, when set.</param>
    public RmsProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0,
        bool centered = false, double? maxGradientNorm = null)
        : base(learningRate, weightDecay, maxGradientNorm)
    {
        if (!(alpha >= 0 && alpha < 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Expected ρ (alpha) in [0, 1); received {alpha}.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Expected a positive ε; received {epsilon}.");
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"Expected a momentum in [0, 1); received {momentum}.");
        Alpha = alpha;
        Epsilon = epsilon;
        Momentum = momentum;
        Centered = centered;
        BufferKinds = ["square_avg", .. centered ? ["grad_avg"] : Array.Empty<string>(), .. momentum > 0 ? ["momentum_buffer"] : Array.Empty<string>()];
    }

    /// <summary>ρ, the decay of the running averages.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the root mean square.</summary>
    public double Epsilon { get; }

    /// <summary>μ, the momentum of the accumulated quotient (0: none).</summary>
    public double Momentum { get; }

    /// <summary>Whether the gradient's running mean is subtracted (the centered variant).</summary>
    public bool Centered { get; }

    /// <summary>
    /// The buffers of each parameter that has stepped: the running mean of <c>g′²</c>, and the running mean of
    /// <c>g′</c> (centered) and the momentum buffer (μ &gt; 0), null when not used.
    /// </summary>
    public IReadOnlyDictionary<Parameter<T>, Buffers> State => _buffers;

    /// <summary>
    /// PyTorch's names: <c>square_avg</c>, and <c>grad_avg</c> when centered and <c>momentum_buffer</c> with momentum.
    /// </summary>
    protected override IReadOnlyList<string> BufferKinds { get; }

    /// <inheritdoc />
    protected override IEnumerable<(string Kind, T[] Buffer)> BuffersOf(Parameter<T> parameter)
    {
        if (!_buffers.TryGetValue(parameter, out var b))
            yield break;
        yield return ("square_avg", b.SquareAverage);
        if (b.GradientAverage is { } mean)
            yield return ("grad_avg", mean);
        if (b.MomentumBuffer is { } momentum)
            yield return ("momentum_buffer", momentum);
    }

    /// <inheritdoc />
    protected override void ClearBuffers() => _buffers.Clear();

    /// <inheritdoc />
    protected override void SetBuffer(string kind, Parameter<T> parameter, T[] buffer)
    {
        // The kinds arrive one at a time; the others stay zero until they do.
        var b = BuffersFor(parameter, buffer.Length);
        _buffers[parameter] = kind switch
        {
            "square_avg" => b with { SquareAverage = buffer },
            "grad_avg" => b with { GradientAverage = buffer },
            _ => b with { MomentumBuffer = buffer },
        };
    }

    /// <inheritdoc />
    protected override unsafe void Update(Parameter<T> parameter, T decay)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        var b = BuffersFor(parameter, w.Length);
        fixed (T* pw = w, pg = g, pa = b.SquareAverage, pm = b.GradientAverage, pb = b.MomentumBuffer)
        {
            var job = new UpdateJob
            {
                W = pw, G = pg, A = pa, Mean = pm, B = pb, Decay = decay, Rate = T.CreateChecked(LearningRate),
                Alpha = T.CreateChecked(Alpha), Epsilon = T.CreateChecked(Epsilon), Momentum = T.CreateChecked(Momentum),
            };
            Elementwise.Run(w.Length, &UpdateRange, &job);
        }
    }

    private Buffers BuffersFor(Parameter<T> parameter, int length)
    {
        if (!_buffers.TryGetValue(parameter, out var b))
            _buffers[parameter] = b = new Buffers(new T[length], Centered ? new T[length] : null, Momentum > 0 ? new T[length] : null);
        return b;
    }

    /// <summary>One parameter's buffers.</summary>
    /// <param name="SquareAverage">The running mean of the squared gradient, <c>a</c>.</param>
    /// <param name="GradientAverage">The running mean of the gradient, <c>ḡ</c> (centered only).</param>
    /// <param name="MomentumBuffer">The accumulated quotient, <c>b</c> (with momentum only).</param>
    public sealed record Buffers(T[] SquareAverage, T[]? GradientAverage, T[]? MomentumBuffer);

    private unsafe struct UpdateJob
    {
        public T* W, G, A, Mean, B;
        public T Decay, Rate, Alpha, Epsilon, Momentum;
    }

    /// <summary>
    /// The update on [start, end): vectors for the bulk, the same arithmetic element by element for the tail, so
    /// identical bits. A null <c>Mean</c> means not centered, a null <c>B</c> no momentum.
    /// </summary>
    private static unsafe void UpdateRange(void* state, int part, int start, int end)
    {
        ref UpdateJob job = ref *(UpdateJob*)state;
        T* w = job.W, g = job.G, a = job.A, mean = job.Mean, b = job.B;
        T decay = job.Decay, lr = job.Rate, rho = job.Alpha, eps = job.Epsilon, mu = job.Momentum;
        bool centered = mean != null, momentum = b != null;
        int i = start;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vdecay = new(decay), vlr = new(lr), vrho = new(rho), vkeep = new(T.One - rho), veps = new(eps), vmu = new(mu);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var wi = Vector.Load(w + i);
                var gi = Vector.Load(g + i) + vdecay * wi;
                var ai = vrho * Vector.Load(a + i) + vkeep * gi * gi;
                ai.Store(a + i);
                Vector<T> d;
                if (centered)
                {
                    var mi = vrho * Vector.Load(mean + i) + vkeep * gi;
                    mi.Store(mean + i);
                    d = Vector.SquareRoot(ai - mi * mi) + veps;
                }
                else
                {
                    d = Vector.SquareRoot(ai) + veps;
                }
                if (momentum)
                {
                    var bi = vmu * Vector.Load(b + i) + gi / d;
                    bi.Store(b + i);
                    (wi - vlr * bi).Store(w + i);
                }
                else
                {
                    (wi - vlr * (gi / d)).Store(w + i);
                }
            }
        }
        for (; i < end; i++)
        {
            T gi = g[i] + decay * w[i];
            a[i] = rho * a[i] + (T.One - rho) * gi * gi;
            T d;
            if (centered)
            {
                mean[i] = rho * mean[i] + (T.One - rho) * gi;
                d = T.Sqrt(a[i] - mean[i] * mean[i]) + eps;
            }
            else
            {
                d = T.Sqrt(a[i]) + eps;
            }
            if (momentum)
            {
                b[i] = mu * b[i] + gi / d;
                w[i] -= lr * b[i];
            }
            else
            {
                w[i] -= lr * (gi / d);
            }
        }
    }
}
