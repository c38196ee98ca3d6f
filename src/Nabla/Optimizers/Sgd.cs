using System.Numerics;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Optimizers;

/// <summary>
/// Gradient descent with momentum in seed 002's form: <c>v ← γv + α(g + λW)</c>, <c>W ← W − v</c>.
/// With <c>γ = 0</c> it is plain gradient descent <c>W ← W − α g</c> (seeds 000, 003, 004). With Nesterov
/// the step looks ahead along the new velocity: <c>W ← W − (γv + α(g + λW))</c>.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, T[]> _velocity = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">α.</param>
    /// <param name="momentum">γ in [0, 1).</param>
    /// <param name="nesterov">Use Nesterov's look-ahead (needs momentum &gt; 0).</param>
    /// <param name="weightDecay">L2 coefficient λ for weights.</param>
    /// <param name="maxGradientNorm">Clip the global gradient norm to this, when set.</param>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double? maxGradientNorm = null)
        : base(learningRate, weightDecay, maxGradientNorm)
    {
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"Expected a momentum in [0, 1); received {momentum}.");
        if (nesterov && momentum == 0)
            throw new ArgumentException("Nesterov momentum needs a momentum > 0; received momentum=0.", nameof(nesterov));
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>γ.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov's look-ahead is used.</summary>
    public bool Nesterov { get; }

    /// <summary>The velocity of each parameter that has one (empty without momentum).</summary>
    public IReadOnlyDictionary<Parameter<T>, T[]> Velocity => _velocity;

    /// <inheritdoc />
    protected override IReadOnlyList<string> BufferKinds { get; } = ["velocity"];

    /// <inheritdoc />
    protected override IEnumerable<(string Kind, T[] Buffer)> BuffersOf(Parameter<T> parameter) =>
        _velocity.TryGetValue(parameter, out var v) ? [("velocity", v)] : [];

    /// <inheritdoc />
    protected override void ClearBuffers() => _velocity.Clear();

    /// <inheritdoc />
    protected override void SetBuffer(string kind, Parameter<T> parameter, T[] buffer) => _velocity[parameter] = buffer;

    /// <inheritdoc />
    protected override unsafe void Update(Parameter<T> parameter, T decay)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        T[]? v = null;
        if (Momentum != 0 && !_velocity.TryGetValue(parameter, out v))
            _velocity[parameter] = v = new T[w.Length];
        fixed (T* pw = w, pg = g, pv = v)
        {
            var job = new UpdateJob
            {
                W = pw, G = pg, V = pv,
                Rate = T.CreateChecked(LearningRate), Decay = decay, Gamma = T.CreateChecked(Momentum), Nesterov = Nesterov,
            };
            Elementwise.Run(w.Length, Momentum == 0 ? &Plain : &WithMomentum, &job);
        }
    }

    private unsafe struct UpdateJob
    {
        public T* W, G, V;
        public T Rate, Decay, Gamma;
        public bool Nesterov;
    }

    /// <summary><c>W ← W − α(g + λW)</c> on [start, end): vectors for the bulk, the same arithmetic element by element for the tail, so identical bits.</summary>
    private static unsafe void Plain(void* state, int part, int start, int end)
    {
        ref UpdateJob job = ref *(UpdateJob*)state;
        T* w = job.W, g = job.G;
        T lr = job.Rate, decay = job.Decay;
        int i = start;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vlr = new(lr), vdecay = new(decay);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var wi = Vector.Load(w + i);
                (wi - vlr * (Vector.Load(g + i) + vdecay * wi)).Store(w + i);
            }
        }
        for (; i < end; i++)
            w[i] -= lr * (g[i] + decay * w[i]);
    }

    /// <summary><c>v ← γv + α(g + λW)</c>, <c>W ← W − v</c> (or Nesterov's look-ahead) on [start, end).</summary>
    private static unsafe void WithMomentum(void* state, int part, int start, int end)
    {
        ref UpdateJob job = ref *(UpdateJob*)state;
        T* w = job.W, g = job.G, v = job.V;
        T lr = job.Rate, decay = job.Decay, gamma = job.Gamma;
        bool nesterov = job.Nesterov;
        int i = start;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vlr = new(lr), vdecay = new(decay), vgamma = new(gamma);
            for (; i <= end - Vector<T>.Count; i += Vector<T>.Count)
            {
                var wi = Vector.Load(w + i);
                var step = vlr * (Vector.Load(g + i) + vdecay * wi);
                var vi = vgamma * Vector.Load(v + i) + step;
                vi.Store(v + i);
                (wi - (nesterov ? vgamma * vi + step : vi)).Store(w + i);
            }
        }
        for (; i < end; i++)
        {
            T step = lr * (g[i] + decay * w[i]);
            v[i] = gamma * v[i] + step;
            w[i] -= nesterov ? gamma * v[i] + step : v[i];
        }
    }
}
