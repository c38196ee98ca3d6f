namespace Nabla.Optimizers;

/// <summary>
/// Where a training run stands when it asks a <see cref="LearningRateSchedule"/> for a rate: step
/// <paramref name="Step"/> of epoch <paramref name="Epoch"/> (both 0-based) of a run of
/// <paramref name="Epochs"/> epochs of <paramref name="StepsPerEpoch"/> steps (mini-batches) each.
/// </summary>
/// <param name="Epoch">The epoch, 0-based.</param>
/// <param name="Step">The step within the epoch, 0-based.</param>
/// <param name="Epochs">The number of epochs the run was asked for.</param>
/// <param name="StepsPerEpoch">The number of steps in an epoch.</param>
public readonly record struct SchedulePosition(int Epoch, int Step, int Epochs, int StepsPerEpoch)
{
    /// <summary>The steps taken before this one in the whole run, <c>Epoch·StepsPerEpoch + Step</c>.</summary>
    public long GlobalStep => (long)Epoch * StepsPerEpoch + Step;

    /// <summary>The steps of the whole run, <c>Epochs·StepsPerEpoch</c>.</summary>
    public long TotalSteps => (long)Epochs * StepsPerEpoch;

    /// <summary>The first step of <paramref name="epoch"/> (0-based) of a run of <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps.</summary>
    public static SchedulePosition StartOf(int epoch, int epochs, int stepsPerEpoch) => new(epoch, 0, epochs, stepsPerEpoch);
}
