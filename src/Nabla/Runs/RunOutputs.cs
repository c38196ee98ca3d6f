using Nabla.IO;
using Nabla.Serialization;

namespace Nabla.Runs;

/// <summary>
/// What a finished run writes into its output directory, each file atomically: the model, the history, the
/// report with its figures, then the health summary. (Checkpoints go there too, while training.)
/// </summary>
/// <remarks>
/// The one place a run's final outputs are written, so they can become all-or-nothing as a set (written to a
/// staging directory, then swapped in) without touching the run.
/// </remarks>
public static class RunOutputs
{
    /// <summary>The per-epoch history, CSV (<c>Training.History.CsvHeader</c>).</summary>
    public const string HistoryFile = "history.csv";

    /// <summary>The training-health summary, JSON.</summary>
    public const string HealthFile = "health.json";

    /// <summary>Writes <paramref name="result"/>'s files into <paramref name="directory"/> (created if needed); the report lists the data, then <paramref name="reportSettings"/>.</summary>
    /// <exception cref="IOException">A file could not be written; the files written before it stay.</exception>
    internal static RunFiles Write(string directory, TrainingRunResult result, IReadOnlyList<KeyValuePair<string, string>> reportSettings)
    {
        Directory.CreateDirectory(directory);
        string model = Path.Combine(directory, ModelFile.FileName);
        string history = Path.Combine(directory, HistoryFile);
        ModelFile.Save(model, result.Model, result.Architecture);
        AtomicFile.WriteText(history, result.History.ToCsv());
        var report = result.Report([result.DataSetting, .. reportSettings]).Write(directory);
        string? health = null;
        if (result.Health is { } summary)
            AtomicFile.WriteText(health = Path.Combine(directory, HealthFile), summary.ToJson());
        return new RunFiles(model, history, health, report);
    }
}
