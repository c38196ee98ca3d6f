namespace Nabla.Optimizers;

/// <summary>
/// Half a cosine from the base rate down to <c>α_min</c> over the run, PyTorch's <c>CosineAnnealingLR</c> stepped
/// once per epoch with <c>T_max</c> the run's epochs <c>E</c>: <c>α_e = α_min + (α₀ − α_min)(1 + cos(πe/E))/2</c> for
/// epoch <c>e</c> (0-based), so the first epoch trains at <c>α₀</c> and the last at just above <c>α_min</c>.
/// </summary>
/// <remarks>
/// PyTorch computes the rate recursively from the previous epoch's; this is its closed form, which agrees to
/// the last few bits. Past <c>E</c> epochs (a resumed run given more) the cosine climbs again, as PyTorch's does.
/// </remarks>
public sealed class CosineAnnealingSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="minRate">α_min ≥ 0, the rate the cosine ends at (PyTorch's <c>eta_min</c>, default 0).</param>
    public CosineAnnealingSchedule(double minRate = 0)
    {
        if (!(minRate >= 0) || double.IsInfinity(minRate))
            throw new ArgumentOutOfRangeException(nameof(minRate), $"Expected a minimum rate ≥ 0; received {minRate}.");
        MinRate = minRate;
    }

    /// <summary>α_min, the rate the cosine ends at.</summary>
    public double MinRate { get; }

    /// <inheritdoc />
    public override double Rate(double baseRate, SchedulePosition position) =>
        MinRate + (baseRate - MinRate) * (1 + Math.Cos(Math.PI * position.Epoch / position.Epochs)) / 2;
}
