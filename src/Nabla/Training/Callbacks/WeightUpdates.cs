using System.Numerics;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Keeps a copy of the weights from before the most recent optimizer step, so the training-health summary
/// (<c>Diagnostics.TrainingHealth</c>) can measure the size of the last update against the weights. Two preallocated copies are swapped
/// after every step: it allocates nothing while training.
/// </summary>
public sealed class WeightUpdates<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Dictionary<string, T[]> _before = [];
    private Dictionary<string, T[]> _after = [];
    private bool _stepped;

    /// <summary>Each parameter's values before the most recent step, or null before the first step.</summary>
    public IReadOnlyDictionary<string, T[]>? WeightsBeforeLastStep => _stepped ? _before : null;

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext<T> context)
    {
        _after = context.Model.SnapshotParameters();
        _before = context.Model.SnapshotParameters();
    }

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<T> context)
    {
        (_before, _after) = (_after, _before);
        foreach (var (name, p) in context.Model.NamedParameters)
            p.Value.Span.CopyTo(_after[name]);
        _stepped = true;
    }
}
