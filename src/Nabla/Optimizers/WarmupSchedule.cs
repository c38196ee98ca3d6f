namespace Nabla.Optimizers;

/// <summary>
/// Another schedule times a linear ramp over the first <c>W</c> epochs, raised every step: at global step <c>s</c>
/// (0-based) of <c>S</c> steps per epoch the rate is <c>min(1, (s + 1)/(W·S))</c> times the other schedule's. The
/// ramp is PyTorch's <c>LinearLR(start_factor=1/(W·S), total_iters=W·S − 1)</c> stepped per batch; the first step
/// trains at a small but non-zero rate, the first step after the warmup at the full one.
/// </summary>
/// <remarks>
/// The ramp is counted in epochs, like every other setting of a run, but applied per step so a warmup of one or
/// two epochs is smooth. It multiplies: a cosine under a warmup already decays during it, and a plateau's
/// reductions apply to the ramped rate. One cycle rises from a low rate by itself and takes no warmup.
/// </remarks>
public sealed class WarmupSchedule : LearningRateSchedule
{
    /// <summary>Ramps <paramref name="schedule"/> up over the first <paramref name="epochs"/> epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="schedule"/> is a one-cycle schedule (it warms up by itself) or a warmup already.</exception>
    public WarmupSchedule(LearningRateSchedule schedule, int epochs)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"Expected a warmup of at least 1 epoch; received {epochs}.");
        if (schedule is OneCycleSchedule or WarmupSchedule)
            throw new ArgumentException(
                $"Expected a schedule without a warmup of its own; received {(schedule is OneCycleSchedule ? "one cycle, which rises over its first steps already" : "a warmup")}.",
                nameof(schedule));
        Schedule = schedule;
        Epochs = epochs;
    }

    /// <summary>The schedule that is ramped up.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>W, the epochs the ramp lasts.</summary>
    public int Epochs { get; }

    /// <inheritdoc />
    public override bool ChangesWithinEpoch => true;

    /// <inheritdoc />
    public override double Rate(double baseRate, SchedulePosition position)
    {
        double rate = Schedule.Rate(baseRate, position);
        long ramp = (long)Epochs * position.StepsPerEpoch;
        return position.GlobalStep + 1 >= ramp ? rate : rate * (position.GlobalStep + 1) / ramp;
    }

    /// <inheritdoc />
    public override void Observe(double monitored) => Schedule.Observe(monitored);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> ExportState() => Schedule.ExportState();

    /// <inheritdoc />
    public override void ImportState(IReadOnlyDictionary<string, double> state) => Schedule.ImportState(state);
}
