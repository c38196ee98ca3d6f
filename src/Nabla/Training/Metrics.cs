using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>Per-class precision, recall and F1 with the class's support (number of true samples).</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);

/// <summary>
/// A regression model's fit, each averaged uniformly over the target columns as scikit-learn's
/// <c>multioutput="uniform_average"</c> does: R² (<c>r2_score</c>), the mean absolute error
/// (<c>mean_absolute_error</c>) and the root mean squared error (<c>mean_squared_error(squared=False)</c>).
/// </summary>
public sealed record RegressionMetrics(double RSquared, double MeanAbsoluteError, double RootMeanSquaredError);

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

    /// <summary>
    /// The mean of the per-class values, every class counting the same (scikit-learn's <c>"macro avg"</c> row); the
    /// support is the total.
    /// </summary>
    public static ClassMetrics MacroAverage(IReadOnlyList<ClassMetrics> perClass) =>
        Average("macro avg", perClass, _ => 1.0);

    /// <summary>
    /// The mean of the per-class values weighted by each class's support (scikit-learn's <c>"weighted avg"</c> row);
    /// the support is the total. 0 when no class has a sample.
    /// </summary>
    public static ClassMetrics WeightedAverage(IReadOnlyList<ClassMetrics> perClass) =>
        Average("weighted avg", perClass, c => c.Support);

    private static ClassMetrics Average(string name, IReadOnlyList<ClassMetrics> perClass, Func<ClassMetrics, double> weight)
    {
        if (perClass.Count == 0)
            throw new ArgumentException("Expected the metrics of at least one class; received none.", nameof(perClass));
        double total = perClass.Sum(weight);
        double Mean(Func<ClassMetrics, double> value) => total == 0 ? 0 : perClass.Sum(c => weight(c) * value(c)) / total;
        return new ClassMetrics(name, Mean(c => c.Precision), Mean(c => c.Recall), Mean(c => c.F1), perClass.Sum(c => c.Support));
    }

    /// <summary>
    /// R², MAE and RMSE of <paramref name="predicted"/> against <paramref name="target"/> (one sample per row), each
    /// computed per column and averaged over the columns (see <see cref="RegressionMetrics"/>).
    /// </summary>
    /// <remarks>
    /// Per column, <c>R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²</c>, <c>MAE = (1/N) Σ|y − ŷ|</c>, <c>RMSE = √((1/N) Σ(y − ŷ)²)</c>. A
    /// constant column has R² 1 when predicted exactly, else 0 (scikit-learn's <c>force_finite</c>); R² of fewer
    /// than two samples is NaN, as scikit-learn's.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ, or there is no sample.</exception>
    public static RegressionMetrics Regression<T>(Matrix<T> predicted, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (predicted.Rows != target.Rows || predicted.Cols != target.Cols)
            throw new ArgumentException($"Expected predictions shaped like the targets, {target.Rows}x{target.Cols}; received {predicted.Rows}x{predicted.Cols}.");
        if (target.Rows == 0 || target.Cols == 0)
            throw new ArgumentException("Regression metrics of no samples are undefined; received empty matrices.");
        int n = target.Rows, k = target.Cols;
        double r2 = 0, mae = 0, rmse = 0;
        for (int c = 0; c < k; c++)
        {
            double mean = 0;
            for (int r = 0; r < n; r++)
                mean += double.CreateChecked(target[r, c]);
            mean /= n;
            double residual = 0, total = 0, absolute = 0;
            for (int r = 0; r < n; r++)
            {
                double y = double.CreateChecked(target[r, c]), e = y - double.CreateChecked(predicted[r, c]);
                residual += e * e;
                absolute += Math.Abs(e);
                total += (y - mean) * (y - mean);
            }
            r2 += n < 2 ? double.NaN : total == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / total;
            mae += absolute / n;
            rmse += Math.Sqrt(residual / n);
        }
        return new RegressionMetrics(r2 / k, mae / k, rmse / k);
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
