namespace Nabla.Optimizers;

/// <summary>
/// The learning rate for each epoch (0-based) as a function of the base rate α₀:
/// constant <c>α₀</c>; step <c>α₀·γ^⌊e/s⌋</c>; exponential <c>α₀·γᵉ</c>; inverse scaling
/// <c>α₀/(e+1)^p</c> (scikit-learn's <c>invscaling</c>, per epoch).
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate for <paramref name="epoch"/> (0-based) given the base rate.</summary>
    public abstract double Rate(double baseRate, int epoch);

    /// <summary>The same rate every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>Multiply by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public static LearningRateSchedule Step(int stepSize, double gamma) => new StepSchedule(stepSize, gamma);

    /// <summary>Multiply by <paramref name="gamma"/> every epoch.</summary>
    public static LearningRateSchedule Exponential(double gamma) => new StepSchedule(1, gamma);

    /// <summary>Divide the base rate by <c>(epoch + 1)^power</c>.</summary>
    public static LearningRateSchedule InverseScaling(double power = 0.5) => new InverseScalingSchedule(power);

    private sealed record ConstantSchedule : LearningRateSchedule
    {
        public override double Rate(double baseRate, int epoch) => baseRate;
    }

    private sealed record StepSchedule : LearningRateSchedule
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

        public override double Rate(double baseRate, int epoch) => baseRate * Math.Pow(Gamma, epoch / StepSize);
    }

    private sealed record InverseScalingSchedule(double Power) : LearningRateSchedule
    {
        public override double Rate(double baseRate, int epoch) => baseRate / Math.Pow(epoch + 1, Power);
    }
}
