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
public sealed class AdamW<T> : AdamBase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer with PyTorch's defaults (λ = 0.01).</summary>
    /// <param name="learningRate">α.</param>
    /// <param name="beta1">β₁, in [0, 1).</param>
    /// <param name="beta2">β₂, in [0, 1).</param>
    /// <param name="epsilon">ε, positive.</param>
    /// <param name="weightDecay">λ: each step shrinks decaying weights by <c>1 − αλ</c>.</param>
    /// <param name="maxGradientNorm">Clip the global gradient norm to this, when set.</param>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0.01, double? maxGradientNorm = null)
        : base(learningRate, beta1, beta2, epsilon, weightDecay, maxGradientNorm)
    {
    }

    /// <summary>Shrinks the weight by <c>1 − αλ</c> (λ = <paramref name="decay"/>, 0 for biases) before Adam's step on the raw gradient.</summary>
    protected override (T Shrink, T L2) DecayTerms(T decay) =>
        // 1 − αλ in double, as PyTorch forms the factor before multiplying the weights by it.
        (decay == T.Zero ? T.One : T.CreateChecked(1 - LearningRate * WeightDecay), T.Zero);
}
