using System.Numerics;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019; PyTorch's <c>AdamW</c>): first
/// <c>W ← W − αλW</c>, then Adam's step on the raw gradient, <c>m ← β₁m + (1−β₁)g</c>,
/// <c>v ← β₂v + (1−β₂)g²</c>, <c>W ← W − α m̂ / (√v̂ + ε)</c> with <c>m̂ = m/(1−β₁ᵗ)</c>, <c>v̂ = v/(1−β₂ᵗ)</c>.
/// </summary>
/// <remarks>
/// With L2 in the gradient (<see cref="Adam{T}"/>'s <c>weightDecay</c>) the decay is divided by <c>√v̂</c> like
/// the rest of the gradient, so weights with large gradients hardly decay; here every decaying weight
/// shrinks by the same factor <c>1 − αλ</c> per step. The decay applies to parameters that decay
/// (weights, not biases), like the other optimizers' L2; PyTorch's <c>AdamW</c> decays every parameter
/// unless the biases are put in a group of their own with <c>weight_decay=0</c>, which is what
/// practitioners usually do (a shrinking bias only shifts the outputs towards zero, and regularises nothing).
/// </remarks>
public sealed class AdamW<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, (T[] M, T[] V)> _moments = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer with PyTorch's defaults (λ = 0.01).</summary>
    /// <param name="learningRate">α.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="weightDecay">λ: each step shrinks decaying weights by <c>1 − αλ</c>.</param>
    /// <param name="maxGradientNorm">Clip the global gradient norm to this, when set.</param>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0.01, double? maxGradientNorm = null)
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
        var (m, v) = _moments.TryGetValue(parameter, out var state) ? state : (new T[buffer.Length], new T[buffer.Length]);
        _moments[parameter] = kind == "m" ? (buffer, v) : (m, buffer);
    }

    /// <summary>Shrinks the weight by <c>1 − αλ</c> (λ = <paramref name="decay"/>, 0 for biases), then takes Adam's step.</summary>
    protected override unsafe void Update(Parameter<T> parameter, T decay)
    {
        var w = parameter.Value.Span;
        var g = parameter.Gradient.Span;
        if (!_moments.TryGetValue(parameter, out var state))
            _moments[parameter] = state = (new T[w.Length], new T[w.Length]);
        var (m, v) = state;
        fixed (T* pw = w, pg = g, pm = m, pv = v)
        {
            var job = new AdamUpdate<T>.Job
            {
                W = pw, G = pg, M = pm, V = pv, Decay = T.Zero,
                // 1 − αλ in double, as PyTorch forms the factor before multiplying the weights by it.
                Shrink = decay == T.Zero ? T.One : T.CreateChecked(1 - LearningRate * WeightDecay),
                Beta1 = T.CreateChecked(Beta1), Beta2 = T.CreateChecked(Beta2),
                Correction1 = T.One - T.CreateChecked(Math.Pow(Beta1, Steps)),
                Correction2 = T.One - T.CreateChecked(Math.Pow(Beta2, Steps)),
                Rate = T.CreateChecked(LearningRate), Epsilon = T.CreateChecked(Epsilon),
            };
            AdamUpdate<T>.Run(w.Length, &job);
        }
    }
}
