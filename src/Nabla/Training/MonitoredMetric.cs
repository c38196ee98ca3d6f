namespace Nabla.Training;

/// <summary>
/// The value early stopping and a plateau schedule watch after each epoch: the validation loss (lower is better) or
/// the validation accuracy (higher is better), each falling back to its training counterpart when there is no
/// validation data, as Keras's <c>monitor</c> names them.
/// </summary>
public sealed class MonitoredMetric
{
    private MonitoredMetric(string name, bool maximize)
    {
        Name = name;
        Maximize = maximize;
    }

    /// <summary>The validation loss, else the training loss: lower is better (the default).</summary>
    public static MonitoredMetric ValidationLoss { get; } = new("val_loss", maximize: false);

    /// <summary>The validation accuracy, else the training accuracy: higher is better; needs class labels.</summary>
    public static MonitoredMetric ValidationAccuracy { get; } = new("val_accuracy", maximize: true);

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["val_loss", "val_accuracy"];

    /// <summary><c>val_loss</c> or <c>val_accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>True when higher is better (an accuracy).</summary>
    public bool Maximize { get; }

    /// <summary><see cref="ValidationLoss"/> or <see cref="ValidationAccuracy"/> by name (<c>val_loss</c>, <c>val_accuracy</c>; <c>-</c> for <c>_</c> too).</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static MonitoredMetric Parse(string name) => name.Trim().Replace('-', '_') switch
    {
        "val_loss" => ValidationLoss,
        "val_accuracy" => ValidationAccuracy,
        _ => throw new ArgumentException($"Unknown monitored value '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>The monitored value of <paramref name="epoch"/>: its validation value, else its training value; NaN when it has neither (an accuracy in regression).</summary>
    public double Value(EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        return Maximize ? epoch.ValidationAccuracy ?? epoch.Accuracy ?? double.NaN : epoch.ValidationLoss ?? epoch.Loss;
    }

    /// <summary>The name of what <see cref="Value"/> read from <paramref name="epoch"/>: <c>val_loss</c>, or <c>loss</c> without validation data.</summary>
    public string NameIn(EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        bool validation = Maximize ? epoch.ValidationAccuracy is not null : epoch.ValidationLoss is not null;
        return validation ? Name : Name["val_".Length..];
    }

    /// <summary>True when <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/> in the better direction.</summary>
    public bool Improves(double value, double best, double minDelta) => Maximize ? value > best + minDelta : value < best - minDelta;

    /// <summary>The starting best value: the worst possible (+∞ for a loss, −∞ for an accuracy).</summary>
    public double Worst => Maximize ? double.NegativeInfinity : double.PositiveInfinity;

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
