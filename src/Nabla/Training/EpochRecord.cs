namespace Nabla.Training;

/// <summary>One row of <c>history.csv</c>: the metrics of one epoch (1-based). Accuracies are null for regression, validation values when there is no validation data.</summary>
public sealed record EpochRecord(
    int Epoch,
    double Loss,
    double? Accuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double Seconds);
