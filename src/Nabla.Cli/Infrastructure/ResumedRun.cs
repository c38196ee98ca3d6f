using System.Collections;
using System.CommandLine;
using Nabla.Runs;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train --resume DIR</c>: reads the checkpoint and replays the settings stored in it (command-line
/// tokens, a CLI concept), so the resumed run trains exactly what the interrupted one would have; the
/// <see cref="TrainingRun"/> puts the state back. Only options that do not change the result (<c>--epochs</c>,
/// <c>--out</c>, and the run-control options) may differ; any other option given again must agree with the checkpoint.
/// </summary>
/// <remarks>
/// A checkpoint may come from someone else, and its checksum is no signature: anyone can write one. So its settings
/// never say where to write (options such as <c>--out</c> and <c>--memory-log</c>, which a checkpoint never stores,
/// are dropped with a warning: a resumed run writes only into its own directory or the <c>--out</c> given now), and
/// the files they name to read (<c>--data</c>) are shown before they are read, and not quoted from if unreadable.
/// </remarks>
internal sealed class ResumedRun
{
    private readonly IReadOnlyList<string> _readPaths;

    private ResumedRun(OptionSource source, ResumePoint resume, IReadOnlyList<string> readPaths)
    {
        Source = source;
        Resume = resume;
        _readPaths = readPaths;
    }

    /// <summary>The options given now, then the checkpoint's stored settings.</summary>
    public OptionSource Source { get; }

    /// <summary>The checkpoint.</summary>
    public ResumePoint Resume { get; }

    /// <summary>The settings of a run worth storing: every option set, except those that only say where or how fast to run.</summary>
    public static IReadOnlyList<string> Settings(Command command, OptionSource source, IEnumerable<Option> notStored) =>
        [.. command.Options.Except(notStored).SelectMany(source.Tokens)];

    /// <summary>
    /// Reads the checkpoint in <paramref name="directory"/> (or the checkpoint file it names) and returns the option
    /// source of the resumed run: <paramref name="given"/>, then the stored settings except <paramref name="notStored"/>.
    /// Stored values of <paramref name="readPaths"/> not given now are shown on <paramref name="context"/>'s output. The run restores the state.
    /// </summary>
    /// <exception cref="NablaInputException">The checkpoint is missing or invalid, or its stored settings no longer parse.</exception>
    /// <exception cref="UsageException">An option given now disagrees with the checkpoint's.</exception>
    public static ResumedRun Open(string directory, Command command, OptionSource given, IReadOnlyCollection<Option> mayChange,
        IReadOnlyCollection<Option> notStored, IReadOnlyCollection<Option> readPaths, CliContext context)
    {
        var resume = ResumePoint.Load(directory);
        var (path, checkpoint) = (resume.Path, resume.Checkpoint);
        var parsed = command.Parse([.. checkpoint.Settings]);
        if (parsed.Errors.Count > 0 || parsed.UnmatchedTokens.Count > 0)
            throw new NablaInputException(
                $"{path}: the stored settings {Quoted.Value(string.Join(' ', checkpoint.Settings), 200)} do not parse: {Quoted.Message(string.Join(" ", parsed.Errors.Select(e => e.Message)))}", path);
        var storedSource = new OptionSource(parsed, null);
        var dropped = notStored.Where(storedSource.IsSet).Select(o => o.Name).ToList();
        if (dropped.Count > 0)
            context.Error.WriteLine($"warning: {path} stores {string.Join(", ", dropped)}, which a checkpoint never holds; ignored: a resumed run writes only into {directory} or the --out given now.");
        var stored = command.Parse([.. Settings(command, storedSource, notStored)]);
        storedSource = new OptionSource(stored, null);
        foreach (var option in command.Options.Except(mayChange))
        {
            if (!given.IsSet(option) || Same(given.Value(option), storedSource.Value(option)))
                continue;
            var before = storedSource.Tokens(option);
            throw new UsageException(
                $"{string.Join(' ', given.Tokens(option))} conflicts with the checkpoint, which was trained with {(before.Count > 0 ? Quoted.Message(string.Join(' ', before), 200) : $"the default {option.Name}")}. " +
                $"A resumed run keeps its settings; only {string.Join(", ", mayChange.Select(o => o.Name))} may change. Drop the option, or start a new run without --resume.");
        }
        var reads = readPaths.Where(o => !given.IsSet(o) && storedSource.IsSet(o))
            .Select(o => $"{o.Name} {Quoted.Value(string.Join(' ', storedSource.Tokens(o).Skip(1)), 200)}").ToList();
        if (reads.Count > 0)
            context.Out.WriteLine($"The checkpoint's settings read {string.Join(", ", reads)}.");
        return new ResumedRun(given.Then(stored), resume, reads);
    }

    /// <summary>
    /// Runs <paramref name="read"/>, which reads the files the stored settings name; a file it cannot read is an input error
    /// that names the option and the path but quotes nothing from the file (the checkpoint may not be the reader's own).
    /// </summary>
    /// <exception cref="NablaInputException">A stored path could not be read as what it should be.</exception>
    public T ReadingStoredPaths<T>(Func<T> read)
    {
        if (_readPaths.Count == 0)
            return read();
        try
        {
            return read();
        }
        catch (Exception e) when (e is NablaInputException or IOException or UnauthorizedAccessException)
        {
            throw new NablaInputException(
                $"{Resume.Path}: the settings stored in this checkpoint read {string.Join(", ", _readPaths)}, which could not be read as expected. " +
                "Why is not shown, since it would quote a file a checkpoint from anyone could name; give the option yourself (the same value) to see it.",
                Resume.Path);
        }
    }

    private static bool Same(object? a, object? b) =>
        a is IEnumerable x and not string && b is IEnumerable y and not string
            ? x.Cast<object?>().SequenceEqual(y.Cast<object?>())
            : Equals(a, b);
}
