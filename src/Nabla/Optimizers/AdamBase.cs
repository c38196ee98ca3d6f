using System.Numerics;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// What Adam and AdamW share: the moments <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c> kept per parameter
/// (saved in checkpoints as <c>m.*</c> and <c>v.*</c>), and the step <c>W ← W − α m̂ / (√v̂ + ε)</c> with the bias
/// corrections <c>m̂ = m/(1−β₁ᵗ)</c>, <c>v̂ = v/(1−β₂ᵗ)</c>; they differ only in how weight decay enters.
/// </summary>
public abstract class AdamBase<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, (T[] M, T[] V)> _moments = new(ReferenceEqualityComparer.Instance);

    /// <summary>Validates and stores the settings Adam and AdamW share.</summary>
    protected AdamBase(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, double? maxGradientNorm)
        : base(learningRate, weightDecay, maxGradientNorm)
    {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Expected β₁ and β₂ in [0, 1); received {beta1} and {beta2}.");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Expected a positive ε; received {epsilon}.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>β₁, the decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>ε, added to √v̂ to avoid dividing by zero.</summary>
    public double Epsilon { get; }

    /// <summary>First and second moments of each parameter.</summary>
    public IReadOnlyDictionary<Parameter<T>, (T[] M, T[] V)> Moments => _moments;

    /// <inheritdoc />
    protected override IReadOnlyList<string> BufferKinds { get; } = ["m", "v"];

    /// <inheritdoc />
    protected override IEnumerable<(string Kind, T[] Buffer)> BuffersOf(Parameter<T> parameter) =>
        _moments.TryGetValue(parameter, out var state) ? [("m", state.M), ("v", state.V)] : [];

    /// <inheritdoc />
    protected override void ClearBuffers() => _moments.Clear();

    /// <inheritdoc />
    protected override void SetBuffer(string kind, Parameter<T> parameter, T[] buffer)
    {
        // A parameter's two moments arrive one at a time; the other stays zero until it does.
        var (m, v) = _moments.TryGetValue(parameter, out var state) ? state : (new T[buffer.Length], new T[buffer.Length]);
        _moments[parameter] = kind == "m" ? (buffer, v) : (m, buffer);
    }

    /// <summary>
    /// The factor the weight is multiplied by before the step (decoupled decay; 1 for none) and the L2 coefficient added to
    /// the gradient (0 for none), for a parameter whose weight decay is <paramref name="decay"/> (0 for biases).
    /// </summary>
    protected abstract (T Shrink, T L2) DecayTerms(T decay);

    /// <inheritdoc />
    protected sealed override unsafe void Update(Parameter<T> parameter, T decay)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        if (!_moments.TryGetValue(parameter, out var state))
            _moments[parameter] = state = (new T[w.Length], new T[w.Length]);
        var (m, v) = state;
        var (shrink, l2) = DecayTerms(decay);
        fixed (T* pw = w, pg = g, pm = m, pv = v)
        {
            var job = new AdamUpdate<T>.Job
            {
                W = pw, G = pg, M = pm, V = pv, Shrink = shrink, Decay = l2,
                Beta1 = T.CreateChecked(Beta1), Beta2 = T.CreateChecked(Beta2),
                Correction1 = T.One - T.CreateChecked(Math.Pow(Beta1, Steps)),
                Correction2 = T.One - T.CreateChecked(Math.Pow(Beta2, Steps)),
                Rate = T.CreateChecked(LearningRate), Epsilon = T.CreateChecked(Epsilon),
            };
            AdamUpdate<T>.Run(w.Length, &job);
        }
    }
}
