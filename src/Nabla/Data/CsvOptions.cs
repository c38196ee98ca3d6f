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
}
