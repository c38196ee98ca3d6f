using System.Globalization;
using Nabla.IO;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Runs.Callbacks;

/// <summary>
/// Saves <c>DIR/checkpoint.safetensors</c> every <c>every</c> epochs and when the run is interrupted. Each save
/// replaces the previous checkpoint atomically, so a crash at any moment leaves the last complete one. The
/// early-stopping state goes with it; that callback must come before this one, so an epoch's checkpoint holds the
/// early-stopping state after that epoch.
/// </summary>
/// <param name="directory">Where the checkpoint goes (created when first saved).</param>
/// <param name="every">Epochs between saves; null saves only when interrupted.</param>
/// <param name="architecture">The network, stored with its weights.</param>
/// <param name="optimizer">The optimizer whose state is saved.</param>
/// <param name="settings">The run's settings as command-line tokens, replayed on resume.</param>
/// <param name="earlyStopping">The early-stopping callback whose state is saved, if the run has one.</param>
/// <param name="schedule">The learning-rate schedule whose state (if it keeps any) is saved.</param>
public sealed class CheckpointWriter(
    string directory, int? every, Architecture architecture, Optimizer<float> optimizer, IReadOnlyList<string> settings, EarlyStopping<float>? earlyStopping,
    LearningRateSchedule? schedule = null)
    : ITrainingCallback<float>
{
    /// <summary>
    /// Test hook: milliseconds to pause halfway through writing each checkpoint after the first, with half the bytes
    /// already in the temporary file, so a test can signal or kill the process in the middle of a save while a
    /// complete checkpoint exists.
    /// </summary>
    public const string PauseVariable = "NABLA_TEST_CHECKPOINT_PAUSE_MS";

    /// <summary>Where the checkpoint goes.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, CheckpointFile.FileName);

    /// <summary>The last checkpoint saved by this run, in words (<c>"epoch 3"</c>, <c>"epoch 4, batch 17"</c>), or null.</summary>
    public string? LastSaved { get; private set; }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<float> context)
    {
        if (every is { } n && context.History.Last.Epoch % n == 0)
            Save(context);
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext<float> context)
    {
        if (context.Interrupted)
            Save(context);
    }

    private void Save(TrainingContext<float> context)
    {
        var state = context.State;
        var checkpoint = new Checkpoint(architecture, context.Model.SnapshotState(), optimizer.ExportState(context.Model.NamedParameters), state, settings,
            earlyStopping?.ExportState(), schedule?.ExportState() is { Count: > 0 } learnt ? learnt : null);
        byte[] bytes = CheckpointFile.Serialize(checkpoint);
        int pause = LastSaved is not null && int.TryParse(Environment.GetEnvironmentVariable(PauseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int ms) ? ms : 0;
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path, stream =>
        {
            stream.Write(bytes, 0, bytes.Length / 2);
            if (pause > 0)
            {
                stream.Flush();
                Thread.Sleep(pause);
            }
            stream.Write(bytes, bytes.Length / 2, bytes.Length - bytes.Length / 2);
        });
        LastSaved = state.InProgress is { } p ? $"epoch {state.CompletedEpochs + 1}, batch {p.CompletedBatches}" : $"epoch {state.CompletedEpochs}";
    }
}
