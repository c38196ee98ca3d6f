using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>How a classifier's outputs become class probabilities: by the loss it was trained with.</summary>
public enum ProbabilityFunction
{
    /// <summary>None: a regression model, or a classifier trained with plain MSE, whose outputs are scores.</summary>
    None,

    /// <summary>A softmax over each row of logits (cross-entropy, MSE plus cross-entropy).</summary>
    Softmax,

    /// <summary>A sigmoid of each logit (binary cross-entropy); one logit for two classes is the second class's.</summary>
    Sigmoid,
}

/// <summary>
/// A classifier's outputs read as class probabilities, the one place that decides it: <c>nabla predict</c> prints these
/// and the ONNX export's <c>probabilities</c> output computes the same.
/// </summary>
public static class ClassProbabilities
{
    /// <summary>The function that turns <paramref name="architecture"/>'s outputs into probabilities.</summary>
    public static ProbabilityFunction For(Architecture architecture) => !architecture.IsClassifier ? ProbabilityFunction.None : architecture.Loss switch
    {
        "cross-entropy" or "mse+cross-entropy" => ProbabilityFunction.Softmax,
        "binary-cross-entropy" => ProbabilityFunction.Sigmoid,
        _ => ProbabilityFunction.None,
    };

    /// <summary>
    /// The class of each output column: the classes in order, except a single sigmoid logit for two classes, which is the
    /// second class's (PyTorch's <c>BCEWithLogitsLoss</c> on one output).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="architecture"/> is not a classifier.</exception>
    public static IReadOnlyList<string> Columns(Architecture architecture)
    {
        var classes = architecture.ClassNames ?? throw new ArgumentException("A regression model has no classes.", nameof(architecture));
        return IsOneLogit(architecture) ? [classes[1]] : classes;
    }

    /// <summary>Turns each row of <paramref name="outputs"/> into its probabilities, in place (scores stay as they are).</summary>
    public static void Apply<T>(Matrix<T> outputs, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (For(architecture))
        {
            case ProbabilityFunction.Softmax:
                RowSoftmax.Forward<T>(outputs.Span, outputs.Span, outputs.Cols);
                break;
            case ProbabilityFunction.Sigmoid:
                TensorPrimitives.Sigmoid<T>(outputs.Span, outputs.Span);
                break;
        }
    }

    /// <summary>
    /// The predicted class of one row that <see cref="Apply{T}"/> has turned into probabilities (or left as scores): the
    /// largest, ties to the first; for a single sigmoid output, the second class when its probability is above one half.
    /// </summary>
    public static int Predicted<T>(ReadOnlySpan<T> row, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T> =>
        !IsOneLogit(architecture) ? TensorPrimitives.IndexOfMax(row) : row[0] > T.CreateChecked(0.5) ? 1 : 0;

    private static bool IsOneLogit(Architecture architecture) =>
        For(architecture) == ProbabilityFunction.Sigmoid && architecture.ClassNames is { Count: 2 } && architecture.Outputs == 1;
}
