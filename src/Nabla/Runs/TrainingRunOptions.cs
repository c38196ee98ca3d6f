using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Optimizers;
using Nabla.Training;

namespace Nabla.Runs;

/// <summary>
/// Everything a <see cref="TrainingRun"/> needs, as values: the data and how to split and scale it, the network,
/// how to optimise it, where to write what it produces, and whether it continues a checkpoint. A record, so one
/// recipe gives many runs (<c>options with { Seed = 2 }</c>). The defaults train 10 epochs of full-batch gradient
/// descent with Xavier-initialised weights and write nothing.
/// </summary>
public sealed record TrainingRunOptions
{
    /// <summary>The training data, raw (before splitting and scaling).</summary>
    public required Dataset<float> Train { get; init; }

    /// <summary>Data evaluated after every epoch and never trained on; or leave it out and give <see cref="ValidationFraction"/>.</summary>
    public Dataset<float>? Validation { get; init; }

    /// <summary>The fraction of <see cref="Train"/> held out as validation data, split with <see cref="Seed"/> (stratified for classes).</summary>
    public double? ValidationFraction { get; init; }

    /// <summary>Test data, evaluated at the end; or leave it out and give <see cref="TestFraction"/>.</summary>
    public Dataset<float>? Test { get; init; }

    /// <summary>
    /// The fraction of <see cref="Train"/> held out as the test set, for data without a test split of its own: split
    /// first, with <see cref="Seed"/> mixed with <see cref="TrainingRun.TestSplitSalt"/>, so it differs from the validation split.
    /// </summary>
    public double? TestFraction { get; init; }

    /// <summary>Input scaling fitted on the training split (after the hold-outs) and stored in the model.</summary>
    public ScalingKind Scaling { get; init; } = ScalingKind.None;

    /// <summary>
    /// Regression: scaling of the targets, fitted on the training split and stored in the model, which trains on the
    /// scaled targets (so the loss is in scaled units) and whose outputs are unscaled for metrics and predictions.
    /// </summary>
    public ScalingKind TargetScaling { get; init; } = ScalingKind.None;

    /// <summary>
    /// The layers, in order; input sizes may be left out (<c>NetworkSpelling.Parse("Linear(8), Tanh, Linear(2)")</c>):
    /// the data's samples give them.
    /// </summary>
    public required IReadOnlyList<LayerSpec> Network { get; init; }

    /// <summary>The loss by name (<c>cross-entropy</c>, <c>mse</c>, <c>mse+cross-entropy</c>, <c>binary-cross-entropy</c>).</summary>
    public required string Loss { get; init; }

    /// <summary>How the weights start (biases start at zero), drawn from a generator seeded with <see cref="Seed"/>.</summary>
    public IInitializer Initializer { get; init; } = GaussianInitializer.XavierNormal;

    /// <summary>Makes the run's optimizer; a factory, so every run of a recipe starts from a fresh optimizer state.</summary>
    public required Func<Optimizer<float>> Optimizer { get; init; }

    /// <summary>The learning rate of each epoch; constant by default.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Passes over the training data, counted from the start of the run (a resumed run trains the rest).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per step; null for the full batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Seed of the splits, the initial weights and the shuffling.</summary>
    public ulong Seed { get; init; }

    /// <summary>Stop after this many epochs without a better <see cref="Monitor"/>ed value, and keep the best weights; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>An epoch improves on the best only when it beats it by more than this (early stopping's <c>min_delta</c>, ≥ 0).</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>
    /// What early stopping and a schedule that learns (<see cref="PlateauSchedule"/>, which must then maximise for an
    /// accuracy) watch: the validation loss (the default) or accuracy, else the training one.
    /// </summary>
    public MonitoredMetric Monitor { get; init; } = MonitoredMetric.ValidationLoss;

    /// <summary>
    /// The weight of each class in the loss, computed from the training split (after the hold-outs), such as
    /// <c>train =&gt; ClassWeights.Balanced(train.Labels!, train.ClassNames!.Count)</c>; null weighs every class 1. Only
    /// <c>cross-entropy</c> and <c>mse+cross-entropy</c> take weights.
    /// </summary>
    public Func<Dataset<float>, IReadOnlyList<double>>? ClassWeights { get; init; }

    /// <summary>
    /// A model file whose weights (and buffers) the network starts from instead of its initializer, to fine-tune it:
    /// it must have the same tensors, names and shapes. Ignored when resuming (the checkpoint holds the weights).
    /// </summary>
    public string? InitializeFrom { get; init; }

    /// <summary>What a step producing a NaN or infinity does.</summary>
    public DivergencePolicy OnDivergence { get; init; } = DivergencePolicy.Stop;

    /// <summary>
    /// Where the model (<c>model.safetensors</c>), <c>history.csv</c>, <c>health.json</c>, the figures, <c>report.html</c>
    /// and checkpoints go; null writes nothing.
    /// </summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Save a checkpoint every this many epochs (an interrupt saves one anyway); needs <see cref="OutputDirectory"/>.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>Continue this checkpoint's run instead of starting one; the other options must rebuild its network.</summary>
    public ResumePoint? Resume { get; init; }

    /// <summary>The run's settings as command-line tokens, stored in checkpoints so a resumed command can replay them.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>Settings the report lists after the data (learning rate, batch size…).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ReportSettings { get; init; } = [];

    /// <summary>Record every parameter after every step for the report's weight traces; null: when writing outputs for a network of at most <see cref="TrainingRun.MaxTracedParameters"/> parameters.</summary>
    public bool? RecordParameters { get; init; }

    /// <summary>Evaluate the test data after every epoch for the report's curves; null: when writing outputs and there is test data.</summary>
    public bool? TestCurve { get; init; }

    /// <summary>
    /// Record how each layer's weights, biases, net inputs and activations are distributed as training goes on
    /// (<c>LayerDistributions</c>, on the first <see cref="TrainingRun.DistributionProbeSamples"/> validation or training samples) for the
    /// report; null: when writing outputs for a network of more than <see cref="TrainingRun.MaxTracedParameters"/> parameters (smaller
    /// ones have every value traced instead).
    /// </summary>
    public bool? RecordDistributions { get; init; }

    /// <summary>Optimizer steps between two distribution snapshots; null: one after each epoch.</summary>
    public int? DistributionsEvery { get; init; }

    /// <summary>Measure the training-health summary at the end (it keeps a copy of the weights before each step).</summary>
    public bool MeasureHealth { get; init; } = true;

    /// <summary>More callbacks (progress displays, logs), called after the run's own.</summary>
    public IReadOnlyList<ITrainingCallback<float>> Callbacks { get; init; } = [];

    /// <summary>Cancel to stop after the current batch with a checkpoint (when writing outputs) that <see cref="Resume"/> continues.</summary>
    public CancellationToken Interrupt { get; init; }
}
