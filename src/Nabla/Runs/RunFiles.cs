namespace Nabla.Runs;

/// <summary>The files a <see cref="TrainingRun"/> with an output directory wrote.</summary>
/// <param name="Model">The model file.</param>
/// <param name="History">The per-epoch history, CSV.</param>
/// <param name="Health">The training-health summary, JSON, or null when not measured.</param>
/// <param name="Report">The figures, then <c>report.html</c>.</param>
public sealed record RunFiles(string Model, string History, string? Health, IReadOnlyList<string> Report);
