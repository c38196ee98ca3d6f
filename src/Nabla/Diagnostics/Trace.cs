using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Diagnostics;

/// <summary>One parameter in a trace: its model-file name, role and shape, its value, dL/dvalue, and its value after one gradient step.</summary>
public sealed record ParameterTrace(string Name, ParameterRole Role, IReadOnlyList<long> FileShape, Matrix<double> Value, Matrix<double> Gradient, Matrix<double> Updated);

/// <summary>
/// One layer in a trace: its kind, what came in, what went out (<c>z</c> for an affine layer, <c>a</c> for an
/// activation), the delta dL/doutput that came back, dL/dinput it passed on, and its parameters.
/// </summary>
public sealed record LayerTrace(int Index, LayerKind Kind, Matrix<double> Input, Matrix<double> Output,
    Matrix<double> OutputGradient, Matrix<double> InputGradient, IReadOnlyList<ParameterTrace> Parameters);

/// <summary>Everything one forward and backward pass computed, in the order a hand calculation meets it.</summary>
public sealed record TraceResult(Matrix<double> Input, Matrix<double> Target, IReadOnlyList<LayerTrace> Layers,
    double Loss, Matrix<double> LossGradient, double LearningRate);

/// <summary>
/// Runs one forward and backward pass in float64 and keeps every intermediate: each layer's output,
/// the loss, each delta, each parameter gradient, and each parameter after one plain gradient step
/// <c>θ − α·∂L/∂θ</c>. The model itself is left unchanged.
/// </summary>
public static class Trace
{
    /// <summary>Traces <paramref name="model"/> on the batch (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static TraceResult Run(Sequential<double> model, ILoss<double> loss, Matrix<double> x, Matrix<double> y, double learningRate)
    {
        var layers = model.Layers;
        var inputs = new Matrix<double>[layers.Count];
        var outputs = new Matrix<double>[layers.Count];
        var current = x;
        for (int i = 0; i < layers.Count; i++)
        {
            inputs[i] = current.Clone();
            current = layers[i].Forward(current, training: false);
            outputs[i] = current.Clone();
        }
        double value = loss.Forward(current, y);
        var lossGradient = loss.Backward().Clone();

        model.ZeroGradients();
        var traces = new LayerTrace[layers.Count];
        var gradient = lossGradient;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            var outputGradient = gradient.Clone();
            gradient = layers[i].Backward(gradient);
            var parameters = layers[i].Parameters.Select(p => Step(i, p, learningRate)).ToArray();
            traces[i] = new LayerTrace(i, layers[i].Kind, inputs[i], outputs[i], outputGradient, gradient.Clone(), parameters);
        }
        model.ZeroGradients();
        return new TraceResult(x.Clone(), y.Clone(), traces, value, lossGradient, learningRate);
    }

    private static ParameterTrace Step(int layer, Parameter<double> p, double learningRate)
    {
        var updated = p.Value.Clone();
        for (int i = 0; i < updated.Length; i++)
            updated.Span[i] -= learningRate * p.Gradient.Span[i];
        return new ParameterTrace($"{layer}.{p.Name}", p.Role, p.FileShape, p.Value.Clone(), p.Gradient.Clone(), updated);
    }
}
