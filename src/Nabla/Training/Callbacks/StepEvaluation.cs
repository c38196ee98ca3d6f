using System.Numerics;
using Nabla.Data;
using Nabla.Losses;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Evaluates the model on one dataset before the first step and every <see cref="EverySteps"/> optimizer steps, and keeps
/// the loss and accuracy (seed 004: the validation and test error every 100 steps). It only observes, in evaluation mode.
/// </summary>
/// <example><code>
/// var test = new StepEvaluation&lt;float&gt;(testData, loss, everySteps: 100);
/// trainer.Fit(train, new TrainingOptions&lt;float&gt; { Epochs = 5, BatchSize = 50, Callbacks = [test] });
/// // test.Steps[k], test.Loss[k], test.Accuracy[k]
/// </code></example>
public sealed class StepEvaluation<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILoss<T> _loss;
    private readonly List<int> _steps = [];
    private readonly List<double> _losses = [];
    private readonly List<double> _accuracies = [];

    /// <summary>Evaluates <paramref name="data"/> with <paramref name="loss"/> every <paramref name="everySteps"/> steps.</summary>
    /// <exception cref="ArgumentException">The data has no samples, or <paramref name="everySteps"/> is below 1.</exception>
    public StepEvaluation(Dataset<T> data, ILoss<T> loss, int everySteps)
    {
        if (data.Count == 0)
            throw new ArgumentException($"Cannot evaluate on '{data.Name}' during training: it has no samples.", nameof(data));
        if (everySteps < 1)
            throw new ArgumentException($"Expected to evaluate every 1 or more steps; received {everySteps}.", nameof(everySteps));
        Data = data;
        _loss = loss;
        EverySteps = everySteps;
    }

    /// <summary>The dataset evaluated.</summary>
    public Dataset<T> Data { get; }

    /// <summary>Steps between evaluations.</summary>
    public int EverySteps { get; }

    /// <summary>The optimizer steps taken at each evaluation (0: before training).</summary>
    public IReadOnlyList<int> Steps => _steps;

    /// <summary>The mean loss at each evaluation.</summary>
    public IReadOnlyList<double> Loss => _losses;

    /// <summary>The accuracy at each evaluation (classification only; empty otherwise).</summary>
    public IReadOnlyList<double> Accuracy => _accuracies;

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext<T> context) => Evaluate(context);

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<T> context)
    {
        if (context.History.IterationLoss.Count % EverySteps == 0)
            Evaluate(context);
    }

    private void Evaluate(TrainingContext<T> context)
    {
        var result = Evaluation.Run(context.Model, _loss, Data);
        _steps.Add(context.History.IterationLoss.Count);
        _losses.Add(result.Loss);
        if (result.Accuracy is { } a)
            _accuracies.Add(a);
    }
}
