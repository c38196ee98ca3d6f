using System.Numerics;
using Nabla.Data;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// A model's results on a dataset: the mean loss, for classification the accuracy and each prediction, for
/// regression R², MAE and RMSE.
/// </summary>
public sealed record EvaluationResult(double Loss, double? Accuracy, int[]? Predicted, RegressionMetrics? Regression = null);

/// <summary>Runs a model over a whole dataset in inference mode.</summary>
public static class Evaluation
{
    /// <summary>
    /// Mean loss (weighted by batch size) and, for classification, accuracy and predicted classes, for regression R², MAE
    /// and RMSE. A model trained on scaled targets gives <paramref name="targetScaling"/>: the loss stays in the scaled
    /// units it was trained in, and the regression metrics are computed in the data's own units (outputs and targets unscaled).
    /// </summary>
    public static EvaluationResult Run<T>(Sequential<T> model, ILoss<T> loss, Dataset<T> data, int batchSize = 1024, Scaling? targetScaling = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count == 0)
            throw new ArgumentException($"Cannot evaluate on '{data.Name}': it has no samples.", nameof(data));
        var predicted = data.IsClassification ? new int[data.Count] : null;
        var values = data.IsClassification ? null : new Matrix<T>(data.Count, data.TargetCount);
        var x = new Matrix<T>(0, 0);
        var y = new Matrix<T>(0, 0);
        double total = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            x.Reshape(n, data.FeatureCount);
            y.Reshape(n, data.TargetCount);
            data.Features.Span.Slice(start * data.FeatureCount, n * data.FeatureCount).CopyTo(x.Span);
            data.Targets.Span.Slice(start * data.TargetCount, n * data.TargetCount).CopyTo(y.Span);
            var output = model.Forward(x, training: false);
            total += double.CreateChecked(loss.Forward(output, y)) * n;
            if (predicted is not null)
                Metrics.ArgMaxRows(output, predicted.AsSpan(start, n));
            else
                output.Span.CopyTo(values!.Span.Slice(start * data.TargetCount, n * data.TargetCount));
        }
        double? accuracy = predicted is null ? null : Metrics.Accuracy(data.Labels, predicted);
        var regression = values is null ? null
            : targetScaling is null ? Metrics.Regression(values, data.Targets)
            : Metrics.Regression(targetScaling.Invert(values), targetScaling.Invert(data.Targets.Clone()));
        return new EvaluationResult(total / data.Count, accuracy, predicted, regression);
    }
}
