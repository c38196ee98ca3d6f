namespace Nabla.Data;

/// <summary>How <see cref="CsvLoader"/> reads a labelled CSV file.</summary>
public sealed record CsvOptions
{
    /// <summary>Name of the target column (as in the header); null means the last column.</summary>
    public string? Label { get; init; }

    /// <summary>True for a numeric regression target; false (the default) for class labels.</summary>
    public bool Regression { get; init; }

    /// <summary>
    /// The class names to map labels onto (a trained model's, in its order); a label that is not
    /// among them is an error. Null means discover the classes from the file.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The character between fields: <c>,</c> (the default), <c>;</c>, a tab… (not a quote or a line break).</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The feature columns by name, in the order given; null: every column but the target and <see cref="Drop"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Columns to leave out of the features, by name.</summary>
    public IReadOnlyList<string>? Drop { get; init; }

    /// <summary>
    /// A trained model's raw columns (<c>Architecture.Columns</c>, or its feature names as numeric columns): the features
    /// are these, by name, and a text column's value must be one of its categories. Takes precedence over
    /// <see cref="Features"/> and <see cref="Drop"/>.
    /// </summary>
    public IReadOnlyList<InputColumn>? Columns { get; init; }
}
