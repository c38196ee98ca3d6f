using Nabla.Layers;
using Nabla.Layers.Activations;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Diagnostics;

/// <summary>
/// Seed 003's hand calculation: x = [1, 2], y = 8, three sigmoid hidden units and a linear output, L = (ŷ − y)². The
/// seed writes each hidden row as [bias, w₁, w₂] = [0.01, 0.02, 0.03], [0.03, 0.01, 0.02], [0.02, 0.03, 0.01] and the
/// output as [v₀ (bias), v₁, v₂, v₃] = [0.01, 0.02, 0.03, 0.04]. <c>nabla trace --example worked-example</c> and
/// <c>nabla example worked-example</c> trace it with <see cref="Trace.Run"/>.
/// </summary>
public static class WorkedExample
{
    /// <summary>The name <c>nabla trace --example</c> takes.</summary>
    public const string Name = "worked-example";

    /// <summary>The network with the seed's weights.</summary>
    public static Sequential<double> Network() => new(
        new Linear<double>(Matrix<double>.FromRows([0.02, 0.03], [0.01, 0.02], [0.03, 0.01]), [0.01, 0.03, 0.02]),
        new Sigmoid<double>(),
        new Linear<double>(Matrix<double>.FromRows([0.02, 0.03, 0.04]), [0.01]));

    /// <summary>Its architecture; the loss is <c>mse</c>, which on one output and one sample is the seed's (ŷ − y)².</summary>
    public static Architecture Architecture { get; } = new()
    {
        InputShape = SampleShape.Features(2),
        Layers = [LayerSpec.Linear(2, 3), LayerSpec.Activation("sigmoid"), LayerSpec.Linear(3, 1)],
        Loss = "mse",
    };

    /// <summary>The sample, x = [1, 2].</summary>
    public static Matrix<double> Input() => Matrix<double>.FromRows([1.0, 2.0]);

    /// <summary>Its target, y = 8.</summary>
    public static Matrix<double> Target() => Matrix<double>.FromRows([8.0]);

    /// <summary>The trace of one forward and backward pass, with one gradient step of <paramref name="learningRate"/>.</summary>
    public static TraceResult Trace(double learningRate = 0.1) =>
        Diagnostics.Trace.Run(Network(), Architecture.CreateLoss<double>(), Input(), Target(), learningRate);
}
