using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>Per-class precision, recall and F1 with the class's support (number of true samples).</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);

/// <summary>Classification and regression metrics.</summary>
public static class Metrics
{
    /// <summary>Index of the largest value in each row (the predicted class of logits or probabilities); ties go to the first.</summary>
    public static int[] ArgMaxRows<T>(Matrix<T> scores) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new int[scores.Rows];
        ArgMaxRows(scores, result);
        return result;
    }

    /// <summary>Writes the index of the largest value in each row into <paramref name="destination"/>.</summary>
    public static void ArgMaxRows<T>(Matrix<T> scores, Span<int> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < scores.Rows; r++)
            destination[r] = TensorPrimitives.IndexOfMax<T>(scores.Row(r));
    }

    /// <summary>Fraction of samples whose prediction equals the truth.</summary>
    public static double Accuracy(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        CheckSameLength(truth.Length, predicted.Length);
        if (truth.Length == 0)
            throw new ArgumentException("Accuracy of no samples is undefined; received empty arrays.");
        int correct = 0;
        for (int i = 0; i < truth.Length; i++)
            if (truth[i] == predicted[i])
                correct++;
        return (double)correct / truth.Length;
    }

    /// <summary>Counts, row = true class, column = predicted class.</summary>
    public static int[,] ConfusionMatrix(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted, int classCount)
    {
        CheckSameLength(truth.Length, predicted.Length);
        var m = new int[classCount, classCount];
        for (int i = 0; i < truth.Length; i++)
            m[truth[i], predicted[i]]++;
        return m;
    }

    /// <summary>Precision, recall and F1 of each class from a confusion matrix (0 where undefined, as scikit-learn's zero_division=0).</summary>
    public static IReadOnlyList<ClassMetrics> PerClass(int[,] confusion, IReadOnlyList<string> classNames)
    {
        int k = confusion.GetLength(0);
        var result = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            int truePositive = confusion[c, c], predicted = 0, actual = 0;
            for (int j = 0; j < k; j++)
            {
                predicted += confusion[j, c];
                actual += confusion[c, j];
            }
            double precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            double recall = actual == 0 ? 0 : (double)truePositive / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result[c] = new ClassMetrics(classNames[c], precision, recall, f1, actual);
        }
        return result;
    }

    /// <summary>Mean squared error over all elements, <c>(1/(N·K)) Σ (ŷ − y)²</c>.</summary>
    public static double MeanSquaredError<T>(Matrix<T> predicted, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSameLength(predicted.Length, target.Length);
        double sum = 0;
        var p = predicted.Span;
        var t = target.Span;
        for (int i = 0; i < p.Length; i++)
        {
            double d = double.CreateChecked(p[i] - t[i]);
            sum += d * d;
        }
        return sum / p.Length;
    }

    private static void CheckSameLength(int a, int b)
    {
        if (a != b)
            throw new ArgumentException($"Expected as many predictions as true values; received {b} and {a}.");
    }
}
