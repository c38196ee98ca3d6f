namespace Nabla.Plots;

/// <summary>One legend item: a name and how its series is drawn (a line, or a point marker).</summary>
internal readonly record struct LegendEntry(string Name, string Color, bool IsPoint, string? Dash = null);
