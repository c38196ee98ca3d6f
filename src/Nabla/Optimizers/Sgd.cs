using System.Numerics;
using System.Runtime.InteropServices;
using Nabla.Layers;

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
    protected override void Update(Parameter<T> parameter, T decay)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        T lr = T.CreateChecked(LearningRate);
        // Vectors for the bulk, the same arithmetic element by element for the tail: identical bits.
        bool vector = Vector.IsHardwareAccelerated && Vector<T>.IsSupported;
        int n = w.Length, i = 0;
        if (Momentum == 0)
        {
            if (vector)
            {
                ref T rw = ref MemoryMarshal.GetReference(w), rg = ref MemoryMarshal.GetReference(g);
                Vector<T> vlr = new(lr), vdecay = new(decay);
                for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var wi = Vector.LoadUnsafe(ref rw, (nuint)i);
                    (wi - vlr * (Vector.LoadUnsafe(ref rg, (nuint)i) + vdecay * wi)).StoreUnsafe(ref rw, (nuint)i);
                }
            }
            for (; i < n; i++)
                w[i] -= lr * (g[i] + decay * w[i]);
            return;
        }
        if (!_velocity.TryGetValue(parameter, out var v))
            _velocity[parameter] = v = new T[w.Length];
        T gamma = T.CreateChecked(Momentum);
        if (vector)
        {
            ref T rw = ref MemoryMarshal.GetReference(w), rg = ref MemoryMarshal.GetReference(g);
            ref T rv = ref MemoryMarshal.GetArrayDataReference(v);
            Vector<T> vlr = new(lr), vdecay = new(decay), vgamma = new(gamma);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var wi = Vector.LoadUnsafe(ref rw, (nuint)i);
                var step = vlr * (Vector.LoadUnsafe(ref rg, (nuint)i) + vdecay * wi);
                var vi = vgamma * Vector.LoadUnsafe(ref rv, (nuint)i) + step;
                vi.StoreUnsafe(ref rv, (nuint)i);
                (wi - (Nesterov ? vgamma * vi + step : vi)).StoreUnsafe(ref rw, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T step = lr * (g[i] + decay * w[i]);
            v[i] = gamma * v[i] + step;
            w[i] -= Nesterov ? gamma * v[i] + step : v[i];
        }
    }
}
