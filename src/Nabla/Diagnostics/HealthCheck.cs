namespace Nabla.Diagnostics;

/// <summary>One line of a <see cref="TrainingHealth"/> summary: a quantity measured on one layer or parameter.</summary>
/// <param name="Name">What was measured: a parameter (<c>"0.weight"</c>) or a layer (<c>"layer 1 (ReLU)"</c>).</param>
/// <param name="Quantity">The quantity: <c>"gradient norm"</c>, <c>"update/weight ratio"</c>, <c>"dead units"</c> or <c>"saturated units"</c>.</param>
/// <param name="Value">Its value (shares are fractions in [0, 1]).</param>
/// <param name="Healthy">The range considered healthy, in words (<c>"1e-6 to 1e2"</c>).</param>
/// <param name="Warning">A plain-language warning when the value is out of range, else null.</param>
public sealed record HealthCheck(string Name, string Quantity, double Value, string Healthy, string? Warning);
