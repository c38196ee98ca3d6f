using System.Numerics;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Optimizers;

/// <summary>
/// Adagrad (Duchi, Hazan and Singer, 2011; PyTorch's <c>Adagrad</c>): each weight's step shrinks with the
/// squared gradients it has seen, <c>g′ = g + λW</c>, <c>s ← s + g′²</c>, <c>W ← W − α′ g′ / (√s + ε)</c>, where
/// the rate decays with the step <c>t</c> (from 1) as <c>α′ = α / (1 + (t − 1)·η)</c>. The sum starts at
/// <c>s₀</c> (PyTorch's <c>initial_accumulator_value</c>); λ applies to weights, not biases.
/// </summary>
public sealed class Adagrad<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, T[]> _sums = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="learningRate">α.</param>
    /// <param name="learningRateDecay">η ≥ 0: step <c>t</c> uses <c>α / (1 + (t − 1)·η)</c>.</param>
    /// <param name="weightDecay">L2 coefficient λ for weights.</param>
    /// <param name="initialAccumulatorValue">s₀ ≥ 0, the starting value of every sum of squares.</param>
    /// <param name="epsilon">ε &gt; 0, added to √s.</param>
    /// <param name="maxGradientNorm">Clip the global gradient norm to this, when set.</param>
    public Adagrad(double learningRate = 0.01, double learningRateDecay = 0, double weightDecay = 0, double initialAccumulatorValue = 0,
        double epsilon = 1e-10, double? maxGradientNorm = null)
        : base(learningRate, weightDecay, maxGradientNorm)
    {
        if (!(learningRateDecay >= 0) || double.IsInfinity(learningRateDecay))
            throw new ArgumentOutOfRangeException(nameof(learningRateDecay), $"Expected a learning-rate decay ≥ 0; received {learningRateDecay}.");
        if (!(initialAccumulatorValue >= 0) || double.IsInfinity(initialAccumulatorValue))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue), $"Expected an initial accumulator value ≥ 0; received {initialAccumulatorValue}.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Expected a positive ε; received {epsilon}.");
        LearningRateDecay = learningRateDecay;
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    /// <summary>η, the decay of the rate with the step count.</summary>
    public double LearningRateDecay { get; }

    /// <summary>s₀, the value every sum of squares starts from.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>ε, added to √s to avoid dividing by zero.</summary>
    public double Epsilon { get; }

    /// <summary>The sum of squared gradients of each parameter that has stepped.</summary>
    public IReadOnlyDictionary<Parameter<T>, T[]> Sums => _sums;

    /// <inheritdoc />
    protected override IReadOnlyList<string> BufferKinds { get; } = ["sum"];

    /// <inheritdoc />
    protected override IEnumerable<(string Kind, T[] Buffer)> BuffersOf(Parameter<T> parameter) =>
        _sums.TryGetValue(parameter, out var s) ? [("sum", s)] : [];

    /// <inheritdoc />
    protected override void ClearBuffers() => _sums.Clear();

    /// <inheritdoc />
    protected override void SetBuffer(string kind, Parameter<T> parameter, T[] buffer) => _sums[parameter] = buffer;

    /// <inheritdoc />
    protected override unsafe void Update(Parameter<T> parameter, T decay)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        if (!_sums.TryGetValue(parameter, out var s))
        {
            _sums[parameter] = s = new T[w.Length];
            s.AsSpan().Fill(T.CreateChecked(InitialAccumulatorValue));
        }
        fixed (T* pw = w, pg = g, ps = s)
        {
            var job = new UpdateJob
            {
                W = pw, G = pg, S = ps, Decay = decay, Epsilon = T.CreateChecked(Epsilon),
                Rate = T.CreateChecked(LearningRate / (1 + (Steps - 1) * LearningRateDecay)),
            };
            Elementwise.Run(w.Length, &UpdateRange, &job);
        }
    }

    private unsafe struct UpdateJob
    {
        public T* W, G, S;
        public T Decay, Rate, Epsilon;
    }

    /// <summary>The update on [start, end): vectors for the bulk, the same arithmetic element by element for the tail, so identical bits.</summary>
    private static unsafe void UpdateRange(void* state, int part, int start, int end)
    {
        ref UpdateJob job = ref *(UpdateJob*)state;
        T* w = job.W, g = job.G, s = job.S;
        T decay = job.Decay, lr = job.Rate, eps = job.Epsilon;
        int i = start;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vdecay = new(decay), vlr = new(lr), veps = new(eps);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var wi = Vector.Load(w + i);
                var gi = Vector.Load(g + i) + vdecay * wi;
                var si = Vector.Load(s + i) + gi * gi;
                si.Store(s + i);
                (wi - vlr * (gi / (Vector.SquareRoot(si) + veps))).Store(w + i);
            }
        }
        for (; i < end; i++)
        {
            T gi = g[i] + decay * w[i];
            s[i] += gi * gi;
            w[i] -= lr * (gi / (T.Sqrt(s[i]) + eps));
        }
    }
}
