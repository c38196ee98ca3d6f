using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Runs;

/// <summary>
/// A checkpoint to continue a run from, with the path it was read from (for messages). A
/// <see cref="TrainingRun"/> given one puts its weights, layer generators, optimizer state, early-stopping state
/// and training state back, after checking that the run's options and data rebuild the network it holds.
/// </summary>
/// <param name="Path">The checkpoint file.</param>
/// <param name="Checkpoint">What it holds.</param>
public sealed record ResumePoint(string Path, Checkpoint Checkpoint)
{
    /// <summary>Reads <c>DIR/checkpoint.safetensors</c> when <paramref name="directoryOrFile"/> is a directory, else the file it names.</summary>
    /// <exception cref="NablaInputException">The checkpoint is missing or invalid; the message says why.</exception>
    public static ResumePoint Load(string directoryOrFile)
    {
        string path = Directory.Exists(directoryOrFile) ? System.IO.Path.Combine(directoryOrFile, CheckpointFile.FileName) : directoryOrFile;
        return new ResumePoint(path, CheckpointFile.Load(path));
    }

    /// <summary>Where training stands: the epochs done, the generator, the history and how far an unfinished epoch got.</summary>
    public TrainingState State => Checkpoint.State;

    /// <summary>Puts the checkpoint's model state into <paramref name="model"/> and its optimizer state into <paramref name="optimizer"/>.</summary>
    /// <exception cref="NablaInputException">The network rebuilt now differs from the checkpoint's (sizes, classes, scaling), or the optimizer state does not fit.</exception>
    internal void Restore(Architecture architecture, Sequential<float> model, Optimizer<float> optimizer)
    {
        if (architecture.ToJson() != Checkpoint.Architecture.ToJson())
            throw new NablaInputException(
                $"{Path}: the run's settings and data now give the network {architecture.ToJson()}, but the checkpoint holds {Checkpoint.Architecture.ToJson()}. " +
                "Has the data file changed since the run started?", Path);
        model.RestoreState(Checkpoint.Model);
        try
        {
            optimizer.ImportState(Checkpoint.Optimizer, model.NamedParameters);
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{Path}: the checkpoint's optimizer state does not fit {optimizer.GetType().Name.TrimEnd('1', '`')}: {e.Message}", Path, e);
        }
    }

    /// <summary>Continues <paramref name="schedule"/> from the checkpoint's schedule state (none: the state it starts with).</summary>
    /// <exception cref="NablaInputException">The stored state does not fit the schedule.</exception>
    internal void Restore(LearningRateSchedule schedule)
    {
        try
        {
            schedule.ImportState(Checkpoint.Schedule ?? new Dictionary<string, double>());
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{Path}: the checkpoint's learning-rate schedule state does not fit {schedule.GetType().Name}: {e.Message}", Path, e);
        }
    }

    /// <summary>Continues <paramref name="earlyStopping"/> from the checkpoint's early-stopping state, if it has one.</summary>
    /// <exception cref="NablaInputException">The stored state does not fit the callback.</exception>
    internal void Restore(EarlyStopping<float> earlyStopping)
    {
        if (Checkpoint.EarlyStopping is not { } state)
            return;
        try
        {
            earlyStopping.ImportState(state);
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{Path}: the checkpoint's early-stopping state does not fit: {e.Message}", Path, e);
        }
    }
}
