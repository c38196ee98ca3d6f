using System.Diagnostics;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Runs.Callbacks;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Runs;

/// <summary>
/// One training run from data to outputs, as <c>nabla train</c> and the examples run it: the constructor splits
/// and scales the data, sizes and builds the network, makes the optimizer and, when resuming, puts the checkpoint's
/// state back; <see cref="Fit"/> trains (with early stopping, checkpoints and the caller's callbacks);
/// <see cref="Finish"/> evaluates every split, measures the training health and writes the outputs.
/// <see cref="Run"/> does both.
/// </summary>
/// <example><code>
/// var result = new TrainingRun(new TrainingRunOptions
/// {
///     Train = Synthetic.Moons&lt;float&gt;(200, noise: 0.2, seed: 1),
///     Network = NetworkSpelling.Parse("Linear(8), Tanh, Linear(2)"),
///     Loss = "cross-entropy",
///     Optimizer = () =&gt; new Sgd&lt;float&gt;(0.5, momentum: 0.9),
///     Epochs = 100,
///     OutputDirectory = "runs/moons",
/// }).Run();
/// </code></example>
public sealed class TrainingRun
{
    /// <summary>Mixed into <see cref="TrainingRunOptions.Seed"/> for the <see cref="TrainingRunOptions.TestFraction"/> split, so it differs from the validation split.</summary>
    public const ulong TestSplitSalt = HeldOut.TestSalt;

    /// <summary>Networks with at most this many parameters have every value recorded per step by default, for the report (seed 001's plots).</summary>
    public const int MaxTracedParameters = 50;

    /// <summary>The training-health summary probes the first this many training samples.</summary>
    public const int HealthProbeSamples = 1000;

    /// <summary>The distributions of the layers' net inputs and activations are measured on the first this many validation (or training) samples.</summary>
    public const int DistributionProbeSamples = 256;

    private readonly List<ITrainingCallback<float>> _callbacks = [];
    private readonly WeightUpdates<float>? _updates;
    private History? _history;
    private double _seconds;

    /// <summary>Prepares the run: splits and scales the data, builds the network and optimizer, restores a checkpoint.</summary>
    /// <exception cref="ArgumentException">
    /// Contradictory options (a test set and a test fraction, a validation set and a validation fraction, checkpoints without an
    /// output directory), or a network that does not fit the data (the message names the layer and the shape it received).
    /// </exception>
    /// <exception cref="NablaInputException">The data does not fit the network, or the checkpoint does not fit the run.</exception>
    /// <exception cref="IOException">The output directory cannot be written (checked before anything is trained).</exception>
    /// <exception cref="InsufficientMemoryException">The run cannot fit in memory (<see cref="MemoryEstimate"/>; checked before anything is allocated).</exception>
    public TrainingRun(TrainingRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        if (options.OutputDirectory is { } outputs)
            RunOutputs.CheckWritable(outputs);
        Memory = MemoryEstimate.For(options);
        Memory.Check();
        Options = options;
        var heldOut = options.TestFraction is not null || options.ValidationFraction is not null
            ? HeldOut.Of(options.Train, options.Seed, options.ValidationFraction, options.TestFraction)
            : null;
        var (train, validation, test) = SplitData(options, heldOut);
        var architecture = Architecture.For(train, options.Network, options.Loss) with
        {
            Scaling = FitScaling(options.Scaling, train.Features),
            TargetScaling = FitScaling(options.TargetScaling, train.Targets),
            HeldOut = heldOut,
        };
        Architecture = architecture;
        Train = ModelInputs.Prepare(train, architecture);
        Validation = validation is null ? null : ModelInputs.Prepare(validation, architecture);
        Test = test is null ? null : ModelInputs.Prepare(test, architecture);
        Model = architecture.Build<float>(options.Initializer, new Rng(options.Seed));
        if (options.InitializeFrom is { } source && options.Resume is null)
            InitialWeights.Copy(source, Model);
        Optimizer = options.Optimizer();
        Trainer = new Trainer<float>(Model, architecture.CreateLoss<float>(options.ClassWeights?.Invoke(train)), Optimizer);
        options.Resume?.Restore(architecture, Model, Optimizer);
        options.Resume?.Restore(options.Schedule);

        // Early stopping before the checkpoint writer, so a checkpoint holds the early-stopping state after its epoch.
        if (options.EarlyStoppingPatience is { } patience)
        {
            EarlyStopping = new EarlyStopping<float>(patience, options.EarlyStoppingMinDelta, monitor: options.Monitor);
            options.Resume?.Restore(EarlyStopping);
            _callbacks.Add(EarlyStopping);
        }
        if (Test is not null && (options.TestCurve ?? options.OutputDirectory is not null))
            _callbacks.Add(TestCurve = new EpochEvaluation<float>(Test, Trainer.Loss));
        if (options.MeasureHealth)
            _callbacks.Add(_updates = new WeightUpdates<float>());
        if (options.RecordDistributions ?? (options.OutputDirectory is not null && Model.ParameterCount > MaxTracedParameters))
            _callbacks.Add(Distributions = new LayerDistributions<float>(FirstRows(Validation ?? Train, DistributionProbeSamples), options.DistributionsEvery));
        if (options.OutputDirectory is { } directory)
            _callbacks.Add(Checkpoints = new CheckpointWriter(directory, options.CheckpointEvery, architecture, Optimizer, options.Settings, EarlyStopping, options.Schedule));
        _callbacks.AddRange(options.Callbacks);
    }

    /// <summary>The options the run was made with.</summary>
    public TrainingRunOptions Options { get; }

    /// <summary>What the run was estimated to need in memory, before anything was allocated.</summary>
    public MemoryEstimate Memory { get; }

    /// <summary>The network, sized for the data, with its input scaling.</summary>
    public Architecture Architecture { get; }

    /// <summary>The model being trained.</summary>
    public Sequential<float> Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer<float> Optimizer { get; }

    /// <summary>The trainer that runs the steps.</summary>
    public Trainer<float> Trainer { get; }

    /// <summary>The training split, as the model sees it (scaled).</summary>
    public Dataset<float> Train { get; }

    /// <summary>The validation split, scaled, or null.</summary>
    public Dataset<float>? Validation { get; }

    /// <summary>The test set, scaled, or null.</summary>
    public Dataset<float>? Test { get; }

    /// <summary>The early-stopping callback, or null.</summary>
    public EarlyStopping<float>? EarlyStopping { get; }

    /// <summary>The test loss and accuracy after each epoch, or null when not recorded.</summary>
    public EpochEvaluation<float>? TestCurve { get; }

    /// <summary>How the layers' weights and activations were distributed during training, or null when not recorded.</summary>
    public LayerDistributions<float>? Distributions { get; }

    /// <summary>The checkpoint writer when the run writes outputs: where checkpoints go and which was saved last.</summary>
    public CheckpointWriter? Checkpoints { get; }

    /// <summary>True after <see cref="Fit"/> stopped because <see cref="TrainingRunOptions.Interrupt"/> was cancelled.</summary>
    public bool Interrupted => _history?.StopReason?.Kind == StopKind.Interrupted;

    /// <summary>Trains, from the start or from the checkpoint; returns the history (the checkpoint's, continued).</summary>
    /// <exception cref="TrainingDivergedException">A step produced a NaN or infinity and the policy stops; the last checkpoint is kept.</exception>
    public History Fit()
    {
        var clock = Stopwatch.StartNew();
        _history = Trainer.Fit(Train, new TrainingOptions<float>
        {
            Epochs = Options.Epochs,
            BatchSize = Options.BatchSize,
            Seed = Options.Seed,
            Validation = Validation,
            Schedule = Options.Schedule,
            Monitor = Options.Monitor,
            RecordParameters = Options.RecordParameters ?? (Options.OutputDirectory is not null && Model.ParameterCount <= MaxTracedParameters),
            Callbacks = _callbacks,
            OnDivergence = Options.OnDivergence,
            InitialState = Options.Resume?.State,
            Interrupt = Options.Interrupt,
        });
        _seconds = clock.Elapsed.TotalSeconds;
        return _history;
    }

    /// <summary>
    /// Evaluates the model on every split, measures its training health, and writes the model, <c>history.csv</c>,
    /// <c>health.json</c>, the figures and <c>report.html</c> when there is an output directory.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Fit"/> has not run, or was interrupted (resume the run instead).</exception>
    public TrainingRunResult Finish()
    {
        var history = _history ?? throw new InvalidOperationException("Fit the run before finishing it.");
        if (Interrupted)
            throw new InvalidOperationException("The run was interrupted: continue it from its checkpoint (TrainingRunOptions.Resume) instead of finishing it.");
        var result = new TrainingRunResult
        {
            Architecture = Architecture,
            Model = Model,
            History = history,
            Train = Train,
            Validation = Validation,
            Test = Test,
            TestCurve = TestCurve,
            Distributions = Distributions,
            OnTrain = Evaluate(Train),
            OnValidation = Validation is null ? null : Evaluate(Validation),
            OnTest = Test is null ? null : Evaluate(Test),
            Health = _updates is null ? null : MeasureHealth(_updates),
            Seconds = _seconds,
        };
        return Options.OutputDirectory is { } directory ? result with { Files = RunOutputs.Write(directory, result, Options.ReportSettings) } : result;
    }

    /// <summary><see cref="Fit"/>, then <see cref="Finish"/>.</summary>
    /// <exception cref="OperationCanceledException">The run was interrupted; its checkpoint (when writing outputs) continues it.</exception>
    public TrainingRunResult Run()
    {
        Fit();
        if (Interrupted)
            throw new OperationCanceledException("The training run was interrupted; resume it from its checkpoint.", Options.Interrupt);
        return Finish();
    }

    /// <summary>As <c>nabla evaluate</c> scores it: the loss unweighted by any class weights, regression metrics in the data's units.</summary>
    private EvaluationResult Evaluate(Dataset<float> data) =>
        Evaluation.Run(Model, Architecture.CreateLoss<float>(), data, targetScaling: Architecture.TargetScaling);

    private static void Check(TrainingRunOptions options)
    {
        if (options.Test is not null && options.TestFraction is not null)
            throw new ArgumentException("Give a test set or a test fraction to hold out, not both.", nameof(options));
        if (options.Validation is not null && options.ValidationFraction is not null)
            throw new ArgumentException("Give a validation set or a validation fraction to hold out, not both.", nameof(options));
        if (options.Monitor.Maximize && !options.Train.IsClassification)
            throw new ArgumentException($"Monitoring {options.Monitor.Name} needs class labels; {options.Train.Name} is a regression dataset, so monitor val_loss.", nameof(options));
        if (options.TargetScaling != ScalingKind.None && options.Train.IsClassification)
            throw new ArgumentException($"Target scaling applies to regression; {options.Train.Name} has class labels.", nameof(options));
        if (options.ClassWeights is not null && !options.Train.IsClassification)
            throw new ArgumentException($"Class weights need class labels; {options.Train.Name} is a regression dataset.", nameof(options));
        if (options.CheckpointEvery is not null && options.OutputDirectory is null)
            throw new ArgumentException($"Checkpoints every {options.CheckpointEvery} epochs need an output directory to go to; received none.", nameof(options));
        if (options.Resume is { State.CompletedEpochs: var done } resume && done > options.Epochs)
            throw new ArgumentException(
                $"The checkpoint {resume.Path} has trained {done} epochs, more than the {options.Epochs} asked for (epochs count from the start of the run); ask for more than {done} to continue it.",
                nameof(options));
    }

    /// <summary>The given parts, or those <paramref name="heldOut"/> takes: the test hold-out first (its own seed), then the validation hold-out from what is left.</summary>
    private static (Dataset<float> Train, Dataset<float>? Validation, Dataset<float>? Test) SplitData(TrainingRunOptions options, HeldOut? heldOut)
    {
        if (heldOut is null)
            return (options.Train, options.Validation, options.Test);
        var (train, validation, test) = heldOut.Apply(options.Train);
        return (train, validation ?? options.Validation, test ?? options.Test);
    }

    private static Scaling? FitScaling(ScalingKind kind, Matrix<float> values) =>
        kind == ScalingKind.None ? null : Scaling.Fit(kind, values);

    /// <summary>The health summary on the first <see cref="HealthProbeSamples"/> training samples.</summary>
    private TrainingHealth MeasureHealth(WeightUpdates<float> updates)
    {
        int rows = Math.Min(HealthProbeSamples, Train.Count);
        var x = new Matrix<float>(rows, Train.FeatureCount, Train.Features.Span[..(rows * Train.FeatureCount)].ToArray());
        var y = new Matrix<float>(rows, Train.TargetCount, Train.Targets.Span[..(rows * Train.TargetCount)].ToArray());
        // The last step of the epoch whose weights the model has: early stopping may have put back an earlier one's.
        var history = _history!;
        var ratios = history.Epochs.Count == 0 ? null : updates.UpdateRatios(history.BestEpoch ?? history.Last.Epoch);
        return TrainingHealth.Measure(Model, Trainer.Loss, x, y, ratios is null && history.BestEpoch is null ? updates.WeightsBeforeLastStep : null, ratios);
    }

    /// <summary>A copy of the first <paramref name="count"/> feature rows of <paramref name="data"/> (all when it has fewer).</summary>
    private static Matrix<float> FirstRows(Dataset<float> data, int count)
    {
        int rows = Math.Min(count, data.Count);
        return new Matrix<float>(rows, data.FeatureCount, data.Features.Span[..(rows * data.FeatureCount)].ToArray());
    }
}
