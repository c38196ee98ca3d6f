namespace Nabla.Optimizers;

/// <summary>
/// The learning rate at each point of a run as a function of the base rate α₀ (the optimizer's rate when
/// training starts), the epoch <c>e</c> (0-based) and, for per-step schedules, the step. Built in: constant
/// <c>α₀</c>; step <c>α₀·γ^⌊e/s⌋</c>; exponential <c>α₀·γᵉ</c>; inverse scaling <c>α₀/(e+1)^p</c>
/// (scikit-learn's <c>invscaling</c>, per epoch). Their own classes: cosine (<see cref="CosineAnnealingSchedule"/>),
/// reduce on plateau (<see cref="PlateauSchedule"/>) and one cycle (<see cref="OneCycleSchedule"/>). Any of them can
/// start with a linear warmup (<see cref="WithWarmup"/>).
/// </summary>
/// <remarks>
/// The trainer asks for the rate at the start of every epoch and, when <see cref="ChangesWithinEpoch"/>, before
/// every step; after every epoch it passes the monitored value (the validation loss by default) to <see cref="Observe"/>. A schedule that learns
/// from what it observes keeps that in a small state (<see cref="ExportState"/>) which a checkpoint saves.
/// </remarks>
public abstract class LearningRateSchedule
{
    /// <summary>The rate at <paramref name="position"/> given the base rate.</summary>
    public abstract double Rate(double baseRate, SchedulePosition position);

    /// <summary>True when the rate may differ between the steps of one epoch, so the trainer asks before every step.</summary>
    public virtual bool ChangesWithinEpoch => false;

    /// <summary>
    /// Takes the value the run monitors after an epoch (the validation loss, else the training loss, by default; the
    /// validation accuracy when the run monitors it, so a <see cref="PlateauSchedule"/> must then maximise). Only
    /// schedules that react to it (<see cref="PlateauSchedule"/>) override this; the others ignore it.
    /// </summary>
    public virtual void Observe(double monitored)
    {
    }

    /// <summary>
    /// What the schedule has learnt from <see cref="Observe"/>, by name, for a checkpoint; empty for schedules that
    /// are functions of the position alone.
    /// </summary>
    public virtual IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>();

    /// <summary>Continues from a state saved by <see cref="ExportState"/>.</summary>
    /// <exception cref="ArgumentException">The state names a value this schedule does not keep, or lacks one it does.</exception>
    public virtual void ImportState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count > 0)
            throw new ArgumentException(
                $"This schedule keeps no state; received {string.Join(", ", state.Keys.Select(k => $"'{k}'"))}.", nameof(state));
    }

    /// <summary>This schedule multiplied by a linear warmup over the first <paramref name="epochs"/> epochs (see <see cref="WarmupSchedule"/>); itself when 0.</summary>
    public LearningRateSchedule WithWarmup(int epochs) => epochs == 0 ? this : new WarmupSchedule(this, epochs);

    /// <summary>The same rate every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Multiply by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs (PyTorch's <c>StepLR</c>).</summary>
    public static LearningRateSchedule Step(int stepSize, double gamma) => new StepSchedule(stepSize, gamma);

    /// <summary>Multiply by <paramref name="gamma"/> every epoch (PyTorch's <c>ExponentialLR</c>).</summary>
    public static LearningRateSchedule Exponential(double gamma) => new StepSchedule(1, gamma);

    /// <summary>Divide the base rate by <c>(epoch + 1)^power</c>.</summary>
    public static LearningRateSchedule InverseScaling(double power = 0.5) => new InverseScalingSchedule(power);

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override double Rate(double baseRate, SchedulePosition position) => baseRate;
    }

    private sealed class StepSchedule : LearningRateSchedule
    {
        public StepSchedule(int stepSize, double gamma)
        {
            if (stepSize < 1)
                throw new ArgumentOutOfRangeException(nameof(stepSize), $"Expected a step size ≥ 1 epoch; received {stepSize}.");
            if (!(gamma > 0))
                throw new ArgumentOutOfRangeException(nameof(gamma), $"Expected a positive decay factor; received {gamma}.");
            StepSize = stepSize;
            Gamma = gamma;
        }

        public int StepSize { get; }

        public double Gamma { get; }

        public override double Rate(double baseRate, SchedulePosition position) => baseRate * Math.Pow(Gamma, position.Epoch / StepSize);
    }

    private sealed class InverseScalingSchedule(double power) : LearningRateSchedule
    {
        public override double Rate(double baseRate, SchedulePosition position) => baseRate / Math.Pow(position.Epoch + 1, power);
    }
}
