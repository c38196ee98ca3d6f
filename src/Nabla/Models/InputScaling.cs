using System.Text.Json.Serialization;

namespace Nabla.Models;

/// <summary>
/// The transform fitted on the training inputs, <c>x' = (x − offset) ⊙ scale</c> per feature, kept in
/// the model file so evaluation and prediction apply exactly what training applied.
/// </summary>
/// <param name="Kind">How it was fitted: <c>standard</c> (offset = mean, scale = 1/std) or <c>minmax</c> (offset = min, scale = 1/(max − min)).</param>
/// <param name="Offset">Subtracted from each feature.</param>
/// <param name="Scale">Then multiplied into each feature.</param>
public sealed record InputScaling(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("offset")] double[] Offset,
    [property: JsonPropertyName("scale")] double[] Scale);
