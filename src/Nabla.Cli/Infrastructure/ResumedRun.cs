using System.Collections;
using System.CommandLine;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla train --resume DIR</c>: reads the checkpoint and replays the settings stored in it, so the
/// resumed run trains exactly what the interrupted one would have. Only options that do not change
/// the result (<c>--epochs</c>, <c>--out</c>, and the run-control options) may differ; any other option
/// given again must agree with the checkpoint.
/// </summary>
internal static class ResumedRun
{
    /// <summary>The settings of a run worth storing: every option set, except those that only say where or how fast to run.</summary>
    public static IReadOnlyList<string> Settings(Command command, OptionSource source, IEnumerable<Option> notStored) =>
        [.. command.Options.Except(notStored).SelectMany(source.Tokens)];

    /// <summary>
    /// Reads the checkpoint in <paramref name="directory"/> (or the checkpoint file it names) and returns the option
    /// source of the resumed run: <paramref name="given"/>, then the stored settings.
    /// </summary>
    /// <exception cref="NablaInputException">The checkpoint is missing or invalid, or its stored settings no longer parse.</exception>
    /// <exception cref="UsageException">An option given now disagrees with the checkpoint's.</exception>
    public static (OptionSource Source, Checkpoint Checkpoint) Open(string directory, Command command, OptionSource given, IReadOnlyCollection<Option> mayChange)
    {
        string path = Directory.Exists(directory) ? Path.Combine(directory, CheckpointFile.FileName) : directory;
        var checkpoint = CheckpointFile.Load(path);
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
        return (given.Then(stored), checkpoint);
    }

    /// <summary>
    /// Puts the checkpoint's weights into <paramref name="model"/> and its state into <paramref name="optimizer"/>, after
    /// checking that the network rebuilt from the stored settings and the data is the one the checkpoint holds.
    /// </summary>
    /// <exception cref="NablaInputException">The data now gives a different network (sizes, classes, scaling), or the optimizer state does not fit.</exception>
    public static void Restore(Checkpoint checkpoint, Architecture architecture, Sequential<float> model, Optimizer<float> optimizer, string directory)
    {
        if (architecture.ToJson() != checkpoint.Architecture.ToJson())
            throw new NablaInputException(
                $"{directory}: the stored settings and the data now give the network {architecture.ToJson()}, but the checkpoint holds {checkpoint.Architecture.ToJson()}. " +
                "Has the data file changed since the run started?", directory);
        model.RestoreState(checkpoint.Model);
        try
        {
            optimizer.ImportState(checkpoint.Optimizer, model.NamedParameters);
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{directory}: the checkpoint's optimizer state does not fit {optimizer.GetType().Name.TrimEnd('1', '`')}: {e.Message}", directory, e);
        }
    }

    /// <summary>Continues <paramref name="earlyStopping"/> from the checkpoint's early-stopping state, if it has one.</summary>
    /// <exception cref="NablaInputException">The stored state does not fit the callback.</exception>
    public static void Restore(Checkpoint checkpoint, EarlyStopping<float> earlyStopping, string directory)
    {
        if (checkpoint.EarlyStopping is not { } state)
            return;
        try
        {
            earlyStopping.ImportState(state);
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{directory}: the checkpoint's early-stopping state does not fit: {e.Message}", directory, e);
        }
    }

    private static bool Same(object? a, object? b) =>
        a is IEnumerable x and not string && b is IEnumerable y and not string
            ? x.Cast<object?>().SequenceEqual(y.Cast<object?>())
            : Equals(a, b);
}
