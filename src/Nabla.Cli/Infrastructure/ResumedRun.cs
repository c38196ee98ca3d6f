using System.Collections;
using System.CommandLine;
using Nabla.Runs;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train --resume DIR</c>: reads the checkpoint and replays the settings stored in it (command-line
/// tokens, a CLI concept), so the resumed run trains exactly what the interrupted one would have; the
/// <see cref="TrainingRun"/> puts the state back. Only options that do not change the result (<c>--epochs</c>,
/// <c>--out</c>, and the run-control options) may differ; any other option given again must agree with the checkpoint.
/// </summary>
internal static class ResumedRun
{
    /// <summary>The settings of a run worth storing: every option set, except those that only say where or how fast to run.</summary>
    public static IReadOnlyList<string> Settings(Command command, OptionSource source, IEnumerable<Option> notStored) =>
        [.. command.Options.Except(notStored).SelectMany(source.Tokens)];

    /// <summary>
    /// Reads the checkpoint in <paramref name="directory"/> (or the checkpoint file it names) and returns the option
    /// source of the resumed run: <paramref name="given"/>, then the stored settings. The run restores the state.
    /// </summary>
    /// <exception cref="NablaInputException">The checkpoint is missing or invalid, or its stored settings no longer parse.</exception>
    /// <exception cref="UsageException">An option given now disagrees with the checkpoint's.</exception>
    public static (OptionSource Source, ResumePoint Resume) Open(string directory, Command command, OptionSource given, IReadOnlyCollection<Option> mayChange)
    {
        var resume = ResumePoint.Load(directory);
        var (path, checkpoint) = (resume.Path, resume.Checkpoint);
        var stored = command.Parse([.. checkpoint.Settings]);
        if (stored.Errors.Count > 0 || stored.UnmatchedTokens.Count > 0)
            throw new NablaInputException(
                $"{path}: the stored settings '{string.Join(' ', checkpoint.Settings)}' do not parse: {string.Join(" ", stored.Errors.Select(e => e.Message))}", path);
        var storedSource = new OptionSource(stored, null);
        foreach (var option in command.Options.Except(mayChange))
        {
            if (!given.IsSet(option) || Same(given.Value(option), storedSource.Value(option)))
                continue;
            var before = storedSource.Tokens(option);
            throw new UsageException(
                $"{string.Join(' ', given.Tokens(option))} conflicts with the checkpoint, which was trained with {(before.Count > 0 ? string.Join(' ', before) : $"the default {option.Name}")}. " +
                $"A resumed run keeps its settings; only {string.Join(", ", mayChange.Select(o => o.Name))} may change. Drop the option, or start a new run without --resume.");
        }
        return (given.Then(stored), resume);
    }

    private static bool Same(object? a, object? b) =>
        a is IEnumerable x and not string && b is IEnumerable y and not string
            ? x.Cast<object?>().SequenceEqual(y.Cast<object?>())
            : Equals(a, b);
}
