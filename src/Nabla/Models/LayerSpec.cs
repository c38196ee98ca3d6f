using System.Text.Json.Serialization;

namespace Nabla.Models;

/// <summary>
/// One layer of an <see cref="Architecture"/>, named after its PyTorch module: <c>Linear</c> (with
/// <see cref="Inputs"/> and <see cref="Outputs"/>), <c>Tanh</c>, <c>Sigmoid</c>, <c>ReLU</c>,
/// <c>LeakyReLU</c> (with <see cref="Slope"/>), <c>Softmax</c>, <c>Identity</c>, <c>Dropout</c> (with
/// <see cref="Probability"/>).
/// </summary>
public sealed record LayerSpec(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("in"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Inputs = null,
    [property: JsonPropertyName("out"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Outputs = null,
    [property: JsonPropertyName("slope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Slope = null,
    [property: JsonPropertyName("p"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Probability = null)
{
    /// <summary>A linear layer of <paramref name="inputs"/> ⇒ <paramref name="outputs"/> units.</summary>
    public static LayerSpec Linear(int inputs, int outputs) => new("Linear", inputs, outputs);

    /// <summary>An activation by its command-line name (<c>tanh</c>, <c>sigmoid</c>, <c>relu</c>, <c>leaky-relu</c>, <c>softmax</c>, <c>identity</c>).</summary>
    public static LayerSpec Activation(string name) => name.ToLowerInvariant() switch
    {
        "tanh" => new("Tanh"),
        "sigmoid" => new("Sigmoid"),
        "relu" => new("ReLU"),
        "leaky-relu" or "leakyrelu" or "leaky_relu" => new("LeakyReLU", Slope: 0.01),
        "softmax" => new("Softmax"),
        "identity" or "linear" => new("Identity"),
        _ => throw new ArgumentException($"Unknown activation '{name}'; expected one of: {string.Join(", ", ActivationNames)}.", nameof(name)),
    };

    /// <summary>The activation names <see cref="Activation"/> accepts.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = ["tanh", "sigmoid", "relu", "leaky-relu", "softmax", "identity"];
}
