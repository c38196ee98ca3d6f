namespace Nabla.Data;

/// <summary>One line of <see cref="DatasetCatalog.List"/>: a dataset name, what it is, and where it was found.</summary>
/// <param name="Name">The name to pass to <see cref="DatasetCatalog.Load"/>.</param>
/// <param name="Description">What the dataset is; for a missing one, how to get it.</param>
/// <param name="Location">"generated", "embedded", the directory it was found in, or null when not installed.</param>
public sealed record DatasetEntry(string Name, string Description, string? Location)
{
    /// <summary>True when the dataset can be loaded now.</summary>
    public bool Available => Location is not null;
}
