using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Serialization;

/// <summary>
/// Everything needed to continue a training run exactly where it stood: the network's architecture and
/// weights, the optimizer's state, the trainer's state (epochs done, shuffling generator, history, and
/// how far an interrupted epoch got), the early-stopping and schedule state if any, and the settings the run was started with. Saved and read by
/// <see cref="CheckpointFile"/>.
/// </summary>
/// <param name="Architecture">The network.</param>
/// <param name="Model">The network's state: each parameter's and buffer's values and each counter by its PyTorch name (<c>"0.weight"</c>), row-major, and each layer's generator.</param>
/// <param name="Optimizer">The optimizer's step count and buffers.</param>
/// <param name="State">Where training stood.</param>
/// <param name="Settings">The run's settings as command-line tokens (<c>["--layers", "64", "--seed", "3"]</c>), replayed on resume.</param>
/// <param name="EarlyStopping">The early-stopping callback's state (best loss, epoch, wait and best weights), or null when the run has none.</param>
/// <param name="Schedule">
/// What the learning-rate schedule has learnt (<see cref="LearningRateSchedule.ExportState"/>: a plateau schedule's rate, best
/// value and counters), or null when it keeps nothing.
/// </param>
public sealed record Checkpoint(
    Architecture Architecture,
    ModelState<float> Model,
    OptimizerState<float> Optimizer,
    TrainingState State,
    IReadOnlyList<string> Settings,
    EarlyStoppingState<float>? EarlyStopping = null,
    IReadOnlyDictionary<string, double>? Schedule = null);
