using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Layers;

namespace Nabla.Optimizers;

/// <summary>
/// What every optimizer shares: the learning rate, L2 weight decay (<c>g ← g + λW</c> on parameters that
/// decay, i.e. weights and not biases, as in seed 004's <c>λ/2 ΣW²</c>), and optional clipping of the
/// gradients' global L2 norm before the update.
/// </summary>
public abstract class Optimizer<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Validates and stores the shared settings.</summary>
    protected Optimizer(double learningRate, double weightDecay, double? maxGradientNorm)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"Expected a positive finite learning rate; received {learningRate}.");
        if (!(weightDecay >= 0) || double.IsInfinity(weightDecay))
            throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Expected a weight decay ≥ 0; received {weightDecay}.");
        if (maxGradientNorm is { } max && !(max > 0))
            throw new ArgumentOutOfRangeException(nameof(maxGradientNorm), $"Expected a positive maximum gradient norm; received {max}.");
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        MaxGradientNorm = maxGradientNorm;
    }

    /// <inheritdoc />
    public double LearningRate { get; set; }

    /// <summary>L2 coefficient λ added to the gradient of decaying parameters.</summary>
    public double WeightDecay { get; }

    /// <summary>When set, gradients are scaled down so their global L2 norm is at most this.</summary>
    public double? MaxGradientNorm { get; }

    /// <summary>Number of steps taken so far.</summary>
    public long Steps { get; protected set; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        if (MaxGradientNorm is { } max)
            ClipGlobalNorm(parameters, max);
        Steps++;
        for (int i = 0; i < parameters.Count; i++)
            Update(parameters[i], parameters[i].Decays ? T.CreateChecked(WeightDecay) : T.Zero);
    }

    /// <summary>Updates one parameter; <paramref name="decay"/> is λ for this parameter (0 for biases).</summary>
    protected abstract void Update(Parameter<T> parameter, T decay);

    /// <summary>Scales every gradient by <c>max/‖g‖</c> when the global norm <c>‖g‖</c> exceeds <paramref name="max"/>; returns <c>‖g‖</c>.</summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter<T>> parameters, double max)
    {
        double sumSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
            sumSquares += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(parameters[i].Gradient.Span));
        double norm = Math.Sqrt(sumSquares);
        if (norm > max)
        {
            T scale = T.CreateChecked(max / norm);
            for (int i = 0; i < parameters.Count; i++)
                TensorPrimitives.Multiply(parameters[i].Gradient.Span, scale, parameters[i].Gradient.Span);
        }
        return norm;
    }
}
