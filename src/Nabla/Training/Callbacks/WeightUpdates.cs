using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Training.Callbacks;

/// <summary>
/// Keeps a copy of the weights from before the most recent optimizer step, so the training-health summary
/// (<c>Diagnostics.TrainingHealth</c>) can measure the size of the last update against the weights, and the
/// update/weight ratio <c>‖ΔW‖/‖W‖</c> of the last step of every epoch, so a run whose early stopping puts back an
/// earlier epoch's weights is measured at that epoch's step, not across the epochs in between. Two preallocated
/// copies are swapped after every step: it allocates nothing while an epoch trains.
/// </summary>
public sealed class WeightUpdates<T> : ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<int, Dictionary<string, double>> _ratios = [];
    private Dictionary<string, T[]> _before = [];
    private Dictionary<string, T[]> _after = [];
    private bool _stepped;

    /// <summary>Each parameter's values before the most recent step, or null before the first step.</summary>
    public IReadOnlyDictionary<string, T[]>? WeightsBeforeLastStep => _stepped ? _before : null;

    /// <summary>
    /// Each parameter's update/weight ratio at the last step of <paramref name="epoch"/> (1-based), or null when that
    /// epoch was not trained while this callback watched (before a resumed run's start).
    /// </summary>
    public IReadOnlyDictionary<string, double>? UpdateRatios(int epoch) => _ratios.GetValueOrDefault(epoch);

    /// <summary><c>‖now − before‖ / ‖now‖</c>, the relative size of an update (0 when the weights are all zero).</summary>
    public static double UpdateRatio(ReadOnlySpan<T> now, ReadOnlySpan<T> before)
    {
        double weight = Math.Sqrt(double.CreateChecked(TensorPrimitives.SumOfSquares(now)));
        return weight == 0 ? 0 : double.CreateChecked(TensorPrimitives.Distance(now, before)) / weight;
    }

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

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        if (!_stepped)
            return;
        _ratios[context.History.Last.Epoch] = context.Model.NamedParameters
            .ToDictionary(p => p.Name, p => UpdateRatio(_after[p.Name], _before[p.Name]), StringComparer.Ordinal);
    }
}
