using System.Numerics;
using Nabla.Data;
using Nabla.Losses;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Evaluates the model on one extra dataset after every epoch and keeps its loss and accuracy, so a
/// report can draw a test curve beside the training and validation ones (seed 002 asks for all three).
/// It only observes: the data never reaches the optimizer and never drives early stopping.
/// </summary>
/// <example><code>
/// var testCurve = new EpochEvaluation&lt;float&gt;(test, loss);
/// trainer.Fit(train, new TrainingOptions&lt;float&gt; { Epochs = 50, Callbacks = [testCurve] });
/// // testCurve.Loss[e] and testCurve.Accuracy[e] belong to epoch e + 1.
/// </code></example>
public sealed class EpochEvaluation<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILoss<T> loss;
    private readonly List<double> losses = [];
    private readonly List<double> accuracies = [];

    /// <summary>Evaluates <paramref name="data"/> with <paramref name="loss"/> at the end of each epoch.</summary>
    public EpochEvaluation(Dataset<T> data, ILoss<T> loss)
    {
        if (data.Count == 0)
            throw new ArgumentException($"Cannot evaluate on '{data.Name}' each epoch: it has no samples.", nameof(data));
        Data = data;
        this.loss = loss;
    }

    /// <summary>The dataset evaluated.</summary>
    public Dataset<T> Data { get; }

    /// <summary>Mean loss after each epoch; entry i belongs to epoch i + 1.</summary>
    public IReadOnlyList<double> Loss => losses;

    /// <summary>Accuracy after each epoch (classification only; empty otherwise).</summary>
    public IReadOnlyList<double> Accuracy => accuracies;

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        var result = Evaluation.Run(context.Model, loss, Data);
        losses.Add(result.Loss);
        if (result.Accuracy is { } a)
            accuracies.Add(a);
    }
}
