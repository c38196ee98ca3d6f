namespace Nabla.Optimizers;

/// <summary>
/// Smith's one-cycle policy per step, PyTorch's <c>OneCycleLR</c> with <c>anneal_strategy='cos'</c> and
/// <c>three_phase=False</c> over the run's <c>T = epochs·steps per epoch</c> steps, with the base rate as its peak
/// <c>max_lr</c>. From <c>α₀/d</c> the rate rises along a half cosine to <c>α₀</c> at step <c>p·T − 1</c>, then falls
/// along another to <c>α₀/(d·f)</c> at step <c>T − 1</c>: in a phase from <c>a</c> to <c>b</c> at fraction <c>t</c> of it,
/// <c>α = b + (a − b)(1 + cos πt)/2</c>.
/// </summary>
/// <remarks>
/// PyTorch also cycles the momentum (or Adam's β₁) inversely to the rate; this does not: the optimizer's
/// momentum stays as given. After the last step of the run (a resumed run given more epochs) the rate stays at
/// its final value, where PyTorch raises an error.
/// </remarks>
public sealed class OneCycleSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule with PyTorch's defaults.</summary>
    /// <param name="warmupFraction">p in (0, 1), the fraction of the steps spent rising (PyTorch's <c>pct_start</c>).</param>
    /// <param name="divisor">d ≥ 1: the cycle starts at <c>α₀/d</c> (PyTorch's <c>div_factor</c>).</param>
    /// <param name="finalDivisor">f ≥ 1: it ends at <c>α₀/(d·f)</c> (PyTorch's <c>final_div_factor</c>).</param>
    public OneCycleSchedule(double warmupFraction = 0.3, double divisor = 25, double finalDivisor = 1e4)
    {
        if (!(warmupFraction > 0 && warmupFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(warmupFraction), $"Expected a warmup fraction in (0, 1); received {warmupFraction}.");
        if (!(divisor >= 1) || double.IsInfinity(divisor))
            throw new ArgumentOutOfRangeException(nameof(divisor), $"Expected a divisor ≥ 1; received {divisor}.");
        if (!(finalDivisor >= 1) || double.IsInfinity(finalDivisor))
            throw new ArgumentOutOfRangeException(nameof(finalDivisor), $"Expected a final divisor ≥ 1; received {finalDivisor}.");
        WarmupFraction = warmupFraction;
        Divisor = divisor;
        FinalDivisor = finalDivisor;
    }

    /// <summary>p, the fraction of the steps spent rising.</summary>
    public double WarmupFraction { get; }

    /// <summary>d: the cycle starts at <c>α₀/d</c>.</summary>
    public double Divisor { get; }

    /// <summary>f: the cycle ends at <c>α₀/(d·f)</c>.</summary>
    public double FinalDivisor { get; }

    /// <inheritdoc />
    public override bool ChangesWithinEpoch => true;

    /// <inheritdoc />
    public override double Rate(double baseRate, SchedulePosition position)
    {
        double initial = baseRate / Divisor, final = initial / FinalDivisor;
        double step = Math.Min(position.GlobalStep, position.TotalSteps - 1);
        // PyTorch's phase boundaries, in steps: the peak at p·T − 1 (not necessarily whole), the end at T − 1.
        double peak = WarmupFraction * position.TotalSteps - 1, end = position.TotalSteps - 1;
        if (step <= peak)
            // A rise of no length (p·T = 1) is already at its peak, where PyTorch would divide 0 by 0.
            return Anneal(initial, baseRate, peak > 0 ? step / peak : 1);
        return Anneal(baseRate, final, (step - peak) / (end - peak));
    }

    private static double Anneal(double from, double to, double fraction) => to + (from - to) / 2 * (Math.Cos(Math.PI * fraction) + 1);
}
