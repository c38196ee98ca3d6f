namespace Nabla.Optimizers;

/// <summary>
/// Lowers the rate when the monitored value stops improving, PyTorch's <c>ReduceLROnPlateau</c>: after each epoch,
/// a value better than the best so far (minimising, relative threshold τ: <c>x &lt; best·(1 − τ)</c>) resets the count
/// of bad epochs, any other adds one; when the count exceeds the patience, <c>α ← max(α·γ, α_min)</c>, the count
/// restarts and the next <c>cooldown</c> epochs count as neither good nor bad.
/// </summary>
/// <remarks>
/// The rate starts at the base rate and is this schedule's state, with the best value and the two counters
/// (<see cref="ExportState"/>), so a resumed run lowers it at the same epochs. The trainer observes the validation
/// loss when there is validation data, else the training loss. A reduction smaller than 1e-8 is skipped, as in PyTorch.
/// </remarks>
public sealed class PlateauSchedule : LearningRateSchedule
{
    private const double MinimumChange = 1e-8; // PyTorch's eps
    private double _rate = double.NaN;
    private double _best;
    private int _badEpochs;
    private int _cooldownLeft;

    /// <summary>Creates the schedule with PyTorch's defaults.</summary>
    /// <param name="factor">γ in (0, 1), what the rate is multiplied by.</param>
    /// <param name="patience">Bad epochs tolerated before the rate is lowered (≥ 0).</param>
    /// <param name="threshold">τ ≥ 0, how much better a value must be to count as an improvement.</param>
    /// <param name="relativeThreshold">τ is relative to the best value (PyTorch's <c>'rel'</c>), else absolute (<c>'abs'</c>).</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted (≥ 0).</param>
    /// <param name="minRate">α_min ≥ 0, the lowest rate.</param>
    /// <param name="maximize">Higher values are better (an accuracy; PyTorch's <c>mode='max'</c>), rather than lower.</param>
    public PlateauSchedule(double factor = 0.1, int patience = 10, double threshold = 1e-4, bool relativeThreshold = true, int cooldown = 0,
        double minRate = 0, bool maximize = false)
    {
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), $"Expected a factor in (0, 1); received {factor}.");
        if (patience < 0)
            throw new ArgumentOutOfRangeException(nameof(patience), $"Expected a patience ≥ 0 epochs; received {patience}.");
        if (!(threshold >= 0) || double.IsInfinity(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), $"Expected a threshold ≥ 0; received {threshold}.");
        if (cooldown < 0)
            throw new ArgumentOutOfRangeException(nameof(cooldown), $"Expected a cooldown ≥ 0 epochs; received {cooldown}.");
        if (!(minRate >= 0) || double.IsInfinity(minRate))
            throw new ArgumentOutOfRangeException(nameof(minRate), $"Expected a minimum rate ≥ 0; received {minRate}.");
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        RelativeThreshold = relativeThreshold;
        Cooldown = cooldown;
        MinRate = minRate;
        Maximize = maximize;
        _best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>γ, what the rate is multiplied by.</summary>
    public double Factor { get; }

    /// <summary>Bad epochs tolerated before the rate is lowered.</summary>
    public int Patience { get; }

    /// <summary>τ, how much better a value must be to count as an improvement.</summary>
    public double Threshold { get; }

    /// <summary>Whether τ is relative to the best value rather than absolute.</summary>
    public bool RelativeThreshold { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>α_min, the lowest rate.</summary>
    public double MinRate { get; }

    /// <summary>Whether higher values are better.</summary>
    public bool Maximize { get; }

    /// <summary>The best value observed so far (±∞ before the first).</summary>
    public double Best => _best;

    /// <inheritdoc />
    public override double Rate(double baseRate, SchedulePosition position)
    {
        if (double.IsNaN(_rate))
            _rate = baseRate;
        return _rate;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException"><see cref="Rate"/> has not been called yet, so there is no rate to lower.</exception>
    public override void Observe(double monitored)
    {
        if (double.IsNaN(_rate))
            throw new InvalidOperationException("PlateauSchedule.Observe was called before Rate: there is no rate to lower yet.");
        if (IsBetter(monitored))
        {
            _best = monitored;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }
        if (_badEpochs > Patience)
        {
            double lowered = Math.Max(_rate * Factor, MinRate);
            if (_rate - lowered > MinimumChange)
                _rate = lowered;
            _cooldownLeft = Cooldown;
            _badEpochs = 0;
        }
    }

    private bool IsBetter(double value) => (Maximize, RelativeThreshold) switch
    {
        (false, true) => value < _best * (1 - Threshold),
        (false, false) => value < _best - Threshold,
        (true, true) => value > _best * (1 + Threshold),
        (true, false) => value > _best + Threshold,
    };

    /// <summary>PyTorch's names: <c>rate</c> (NaN before the first epoch), <c>best</c>, <c>num_bad_epochs</c>, <c>cooldown_counter</c>.</summary>
    public override IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>
    {
        ["rate"] = _rate,
        ["best"] = _best,
        ["num_bad_epochs"] = _badEpochs,
        ["cooldown_counter"] = _cooldownLeft,
    };

    /// <inheritdoc />
    public override void ImportState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string[] names = ["rate", "best", "num_bad_epochs", "cooldown_counter"];
        if (state.Count != names.Length || names.Any(n => !state.ContainsKey(n)))
            throw new ArgumentException(
                $"Expected the plateau state {string.Join(", ", names)}; received {string.Join(", ", state.Keys)}.", nameof(state));
        double rate = state["rate"], best = state["best"], bad = state["num_bad_epochs"], cooldown = state["cooldown_counter"];
        if (!(double.IsNaN(rate) || (rate >= 0 && double.IsFinite(rate))) || double.IsNaN(best) || !IsCount(bad) || !IsCount(cooldown))
            throw new ArgumentException(
                $"Expected a finite rate ≥ 0 (or NaN before the first epoch), a best value and two whole counts ≥ 0; received rate {rate}, best {best}, num_bad_epochs {bad}, cooldown_counter {cooldown}.",
                nameof(state));
        _rate = rate;
        _best = best;
        _badEpochs = (int)bad;
        _cooldownLeft = (int)cooldown;
    }

    private static bool IsCount(double value) => value >= 0 && value <= int.MaxValue && value == Math.Floor(value);
}
