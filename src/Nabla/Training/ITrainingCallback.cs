using System.Numerics;

namespace Nabla.Training;

/// <summary>Hooks into <see cref="Trainer{T}.Fit"/>; every method does nothing unless overridden.</summary>
public interface ITrainingCallback<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Before the first epoch.</summary>
    void OnTrainBegin(TrainingContext<T> context) { }

    /// <summary>Before each epoch.</summary>
    void OnEpochBegin(TrainingContext<T> context) { }

    /// <summary>After each optimizer step.</summary>
    void OnBatchEnd(TrainingContext<T> context) { }

    /// <summary>After each epoch's record has been added to the history.</summary>
    void OnEpochEnd(TrainingContext<T> context) { }

    /// <summary>After the last epoch (or an early stop).</summary>
    void OnTrainEnd(TrainingContext<T> context) { }
}
