namespace Nabla.Diagnostics;

/// <summary>One line of a <see cref="TrainingHealth"/> summary: a quantity measured on one layer or parameter.</summary>
/// <param name="Name">What was measured: a parameter (<c>"0.weight"</c>) or a layer (<c>"layer 1 (ReLU)"</c>).</param>
/// <param name="Quantity">The quantity: <c>"gradient norm"</c>, <c>"update/weight ratio"</c>, <c>"dead units"</c> or <c>"saturated units"</c>.</param>
/// <param name="Value">Its value (shares are fractions in [0, 1]).</param>
/// <param name="Healthy">The range considered healthy, in words (<c>"1e-6 to 1e2"</c>).</param>
/// <param name="Warning">A plain-language warning when the value is out of range, else null.</param>
public sealed record HealthCheck(string Name, string Quantity, double Value, string Healthy, string? Warning)
{
    /// <summary>The value as the CLI and the report both show it: shares of units as a percentage (<c>12.5%</c>), other quantities in scientific notation (<c>3.2e-3</c>).</summary>
    public string FormattedValue => Quantity.EndsWith("units", StringComparison.Ordinal)
        ? Value.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)
        : Value.ToString("0.###e+0", System.Globalization.CultureInfo.InvariantCulture);
}
