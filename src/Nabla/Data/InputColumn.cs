using System.Text.Json.Serialization;

namespace Nabla.Data;

/// <summary>
/// One raw column of a CSV file as a model reads it: a number fed as it is, or text one-hot encoded into one feature
/// per category (1 for the row's category, 0 for the others), the categories in ordinal order as found in the
/// training data. A category the model never saw is an input error at prediction time.
/// </summary>
public sealed record InputColumn
{
    /// <summary>The column's name in the header.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The categories of a text column, in feature order; null for a numeric column.</summary>
    [JsonPropertyName("categories"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Categories { get; init; }

    /// <summary>How many features the column becomes: its categories, or 1.</summary>
    [JsonIgnore]
    public int Width => Categories?.Count ?? 1;

    /// <summary>The names of its features: the column's name, or <c>name=category</c> for each category.</summary>
    [JsonIgnore]
    public IEnumerable<string> FeatureNames => Categories is { } categories ? categories.Select(c => $"{Name}={c}") : [Name];
}
