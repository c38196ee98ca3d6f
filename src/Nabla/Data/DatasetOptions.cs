namespace Nabla.Data;

/// <summary>
/// Options for <see cref="DatasetCatalog.Load"/>. Unset generator options take each generator's
/// default: gaussians 200 samples; moons 200 samples, noise 0.2 (seed 004's setting); circles 200
/// samples, noise 0.05, factor 0.5; spiral 300 samples, 3 arms, noise 0.1; xor 200 samples, noise 0.1.
/// </summary>
public sealed record DatasetOptions
{
    /// <summary>Number of samples a generator makes.</summary>
    public int? Samples { get; init; }

    /// <summary>Standard deviation of a generator's Gaussian noise.</summary>
    public double? Noise { get; init; }

    /// <summary>Inner-to-outer radius ratio of <c>circles</c>.</summary>
    public double? Factor { get; init; }

    /// <summary>Number of arms (classes) of <c>spiral</c>.</summary>
    public int? Arms { get; init; }

    /// <summary>Seed of a generator.</summary>
    public ulong Seed { get; init; }

    /// <summary>Which files of an image dataset to load: training (default) or test.</summary>
    public DataSplit Split { get; init; } = DataSplit.Train;

    /// <summary>CSV: the target column's name; null means the last column.</summary>
    public string? Label { get; init; }

    /// <summary>CSV: true for a numeric regression target.</summary>
    public bool Regression { get; init; }

    /// <summary>
    /// A trained model's class names: the loaded labels are mapped onto them (by name), and a class
    /// the model never saw is an error. Null keeps the dataset's own classes.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>CSV: the character between fields (<c>,</c> by default).</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>CSV: the feature columns by name, in order; null: every column but the target and <see cref="Drop"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>CSV: columns to leave out of the features, by name.</summary>
    public IReadOnlyList<string>? Drop { get; init; }

    /// <summary>CSV: a trained model's raw columns, which pick and encode the features (see <see cref="CsvOptions.Columns"/>).</summary>
    public IReadOnlyList<InputColumn>? Columns { get; init; }
}
