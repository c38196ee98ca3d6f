using System.Security.Cryptography;
using Nabla.IO;
using Nabla.Serialization;

namespace Nabla.Runs;

/// <summary>
/// What a finished run writes into its output directory: the model, the history, the health summary, the figures
/// and <c>report.html</c>, all new or all old (an <see cref="AtomicFileSet"/>: written into a staging directory, then
/// swapped in). Checkpoints go there too, while training, each replaced atomically on its own.
/// </summary>
public static class RunOutputs
{
    /// <summary>The per-epoch history, CSV (<c>Training.History.CsvHeader</c>).</summary>
    public const string HistoryFile = "history.csv";

    /// <summary>The training-health summary, JSON.</summary>
    public const string HealthFile = "health.json";

    /// <summary>
    /// Checks that a run can write into <paramref name="directory"/>, creating it (and its parents) if needed and
    /// creating and deleting a file in it, so a run that could not save its outputs fails before it trains.
    /// </summary>
    /// <exception cref="IOException">An existing file is in the way, or the directory (or a parent) cannot be created or written; the message says which.</exception>
    public static void CheckWritable(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (File.Exists(directory))
            throw new IOException($"{directory} is a file; expected a directory to write the run's outputs into.");
        for (string? parent = Path.GetDirectoryName(Path.GetFullPath(directory)); parent is not null; parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent))
                throw new IOException($"{directory} cannot be created: {parent} is a file, not a directory.");
        try
        {
            Directory.CreateDirectory(directory);
            string probe = Path.Combine(directory, ".nabla-probe-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write into {directory}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="result"/>'s files into <paramref name="directory"/> (created if needed), all or nothing;
    /// the report lists the data, then <paramref name="reportSettings"/>.
    /// </summary>
    /// <exception cref="IOException">A file could not be written (a full disk, say); the directory's previous files are as they were.</exception>
    internal static RunFiles Write(string directory, TrainingRunResult result, IReadOnlyList<KeyValuePair<string, string>> reportSettings)
    {
        using var outputs = new AtomicFileSet(directory);
        string model = outputs.Stage(ModelFile.FileName), history = outputs.Stage(HistoryFile);
        string? health = result.Health is null ? null : outputs.Stage(HealthFile);
        IReadOnlyList<string> report;
        try
        {
            ModelFile.Save(model, result.Model, result.Architecture);
            AtomicFile.WriteText(history, result.History.ToCsv());
            if (health is not null)
                AtomicFile.WriteText(health, result.Health!.ToJson());
            report = result.Report([result.DataSetting, .. reportSettings]).Write(outputs.StagingDirectory);
        }
        catch (IOException e)
        {
            throw new IOException($"Could not write the run's outputs into {directory} ({e.Message}); its previous files are as they were.", e);
        }
        // The report last, so whoever waits for it finds the rest in place.
        outputs.Commit([ModelFile.FileName, HistoryFile, HealthFile, .. report.Select(Path.GetFileName).OfType<string>()]);
        return new RunFiles(outputs.Final(model), outputs.Final(history), health is null ? null : outputs.Final(health), [.. report.Select(outputs.Final)]);
    }
}
