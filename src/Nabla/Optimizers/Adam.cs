using System.Numerics;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015): <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>W ← W − α m̂ / (√v̂ + ε)</c> with the bias corrections <c>m̂ = m/(1−β₁ᵗ)</c>, <c>v̂ = v/(1−β₂ᵗ)</c>.
/// Weight decay is L2 added to the gradient (PyTorch's <c>Adam(weight_decay=λ)</c>, not AdamW).
/// </summary>
public sealed class Adam<T> : AdamBase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, double? maxGradientNorm = null)
        : base(learningRate, beta1, beta2, epsilon, weightDecay, maxGradientNorm)
    {
    }

    /// <summary>L2 in the gradient: <c>g ← g + λW</c>.</summary>
    protected override (T Shrink, T L2) DecayTerms(T decay) => (T.One, decay);
}
