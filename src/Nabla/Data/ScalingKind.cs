using System.Text.Json.Serialization;

namespace Nabla.Data;

/// <summary>How <see cref="Scaling.Fit"/> chooses each column's offset and scale.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScalingKind>))]
public enum ScalingKind
{
    /// <summary>Identity: offset 0, scale 1.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Standardisation: offset the column mean, scale its (population) standard deviation.</summary>
    [JsonStringEnumMemberName("standard")]
    Standard,

    /// <summary>Min-max: offset the column minimum, scale its range, so training values land in [0, 1].</summary>
    [JsonStringEnumMemberName("minmax")]
    MinMax,
}
