namespace Nabla.Serialization;

/// <summary>What an ONNX graph does not say about the model <see cref="OnnxImport"/> makes of it.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>The class names, index = class; null takes those of a Nabla-exported file's metadata, else <c>"0"</c>, <c>"1"</c>, ….</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The loss (<see cref="Models.Architecture.LossNames"/>); null takes a Nabla-exported file's, else cross-entropy for a classifier and mse for a regression model.</summary>
    public string? Loss { get; init; }

    /// <summary>True to import a regression model (no classes); a Nabla-exported regression model is one without it.</summary>
    public bool Regression { get; init; }
}
