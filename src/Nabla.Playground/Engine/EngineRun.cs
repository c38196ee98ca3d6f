using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Playground.Settings;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Playground.Engine;

/// <summary>
/// One playground run on the real engine, and the one place (with <see cref="EngineData"/>) that calls the
/// library's model, training and report API: the network is built, initialised and trained exactly as
/// <c>nabla train</c> builds, initialises and trains it (<see cref="Architecture.Mlp"/>, <see cref="Trainer{T}.Fit"/>
/// with the same seeds), so the exported command reproduces the exported model bit for bit. Not thread-safe:
/// its session's thread is the only caller.
/// </summary>
internal sealed class EngineRun
{
    private readonly PlaygroundSettings _settings;
    private readonly ILoss<float> _evaluationLoss;
    private readonly WeightUpdates<float> _updates = new();
    private readonly EpochSnapshot _snapshot;

    /// <summary>Builds the network <paramref name="settings"/> describe for <paramref name="data"/>, initialised from the seed.</summary>
    public EngineRun(PlaygroundSettings settings, RunData data)
    {
        _settings = settings;
        Data = data;
        Architecture = Describe(settings, data);
        Model = Architecture.Build<float>(Initializers.ByName(settings.Init), new Rng(settings.Seed));
        IOptimizer<float> optimizer = settings.Optimizer == "adam"
            ? new Adam<float>(settings.LearningRate, weightDecay: settings.WeightDecay)
            : new Sgd<float>(settings.LearningRate, settings.Momentum, nesterov: false, settings.WeightDecay);
        Trainer = new Trainer<float>(Model, Architecture.CreateLoss<float>(), optimizer);
        _evaluationLoss = Architecture.CreateLoss<float>();
        int n = data.Train.Count, batch = Math.Min(settings.BatchSize ?? n, n);
        BatchesPerEpoch = (n + batch - 1) / batch;
        MaxEpochs = Math.Max(1, PlaygroundLimits.MaxIterations / BatchesPerEpoch);
        _snapshot = new EpochSnapshot(Model, _updates);
        Activations = [.. Model.Layers.Select((layer, i) => (i, layer.Kind)).Where(l => l.Kind.Role == LayerRole.Activation).Select(l => (l.i, l.Kind.Name))];
        ClassColors = [.. Enumerable.Range(0, data.Train.ClassNames!.Count).Select(Palette.Color)];
    }

    /// <summary>The data trained on and tested against.</summary>
    public RunData Data { get; }

    /// <summary>The network's description, as the model file stores it.</summary>
    public Architecture Architecture { get; }

    /// <summary>The network being trained.</summary>
    public Sequential<float> Model { get; }

    /// <summary>The training loop.</summary>
    public Trainer<float> Trainer { get; }

    /// <summary>Optimizer steps per pass over the training data.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Epochs the run may take before it stops (<see cref="PlaygroundLimits.MaxIterations"/> steps).</summary>
    public int MaxEpochs { get; }

    /// <summary>The hidden activation layers, whose units the page draws: their index in <see cref="Model"/> and kind (<c>Tanh</c>, <c>ReLU</c>…).</summary>
    public IReadOnlyList<(int Index, string Kind)> Activations { get; }

    /// <summary>Each class's colour, as the library's plots draw it ("#RRGGBB").</summary>
    public IReadOnlyList<string> ClassColors { get; }

    /// <summary>The last completed epoch (0 before the first), whose weights the exports hold.</summary>
    public int ExportEpoch => _snapshot.Epoch;

    /// <summary>
    /// Trains up to <see cref="MaxEpochs"/> epochs with <paramref name="hooks"/> called as <c>nabla train</c>'s own callbacks
    /// are; the hooks pause, step and stop the run (by throwing) between batches.
    /// </summary>
    public History Fit(ITrainingCallback<float> hooks) => Trainer.Fit(Data.Train, new TrainingOptions<float>
    {
        Epochs = MaxEpochs,
        BatchSize = _settings.BatchSize,
        Seed = _settings.Seed,
        Callbacks = [_updates, _snapshot, hooks],
    });

    /// <summary>Loss and accuracy of the current weights on <paramref name="data"/> (inference: no dropout).</summary>
    public EvaluationResult Evaluate(Dataset<float> data) => Evaluation.Run(Model, _evaluationLoss, data);

    /// <summary>The network's outputs for <paramref name="inputs"/>: a buffer the next forward pass reuses.</summary>
    public Matrix<float> Outputs(Matrix<float> inputs) => Model.Forward(inputs);

    /// <summary>Every layer's output for <paramref name="inputs"/>, copied.</summary>
    public IReadOnlyList<Matrix<float>> AllOutputs(Matrix<float> inputs) => Model.ForwardAll(inputs);

    /// <summary>The output of layer <paramref name="index"/> alone (the layers before it run, the ones after it do not).</summary>
    public Matrix<float> LayerOutput(Matrix<float> inputs, int index)
    {
        var x = inputs;
        for (int i = 0; i <= index; i++)
            x = Model.Layers[i].Forward(x, training: false);
        return x;
    }

    /// <summary>Each linear layer's weight ([out, in]) and bias, in order.</summary>
    public IEnumerable<(Matrix<float> Weight, Matrix<float> Bias)> Weights() =>
        Model.Layers.OfType<Linear<float>>().Select(d => (d.Weight.Value, d.Bias.Value));

    /// <summary>The training-health checks of the current weights, measured as <c>nabla train</c> measures them at its end.</summary>
    public TrainingHealth Health() => MeasureHealth(Model, _updates.WeightsBeforeLastStep);

    /// <summary>Writes the weights of epoch <see cref="ExportEpoch"/> as a model file, exactly as <c>nabla train --out</c> would.</summary>
    public void SaveModel(string path) => ModelFile.Save(path, _snapshot.Restore(Architecture), Architecture);

    /// <summary>Loss and accuracy of epoch <see cref="ExportEpoch"/>'s weights on the training and test data.</summary>
    public (EvaluationResult Train, EvaluationResult Test) EvaluateExport()
    {
        var model = _snapshot.Restore(Architecture);
        return (Evaluation.Run(model, _evaluationLoss, Data.Train), Evaluation.Run(model, _evaluationLoss, Data.Test));
    }

    /// <summary>Writes the report of the run up to epoch <see cref="ExportEpoch"/> into <paramref name="directory"/>; returns report.html's path.</summary>
    public string WriteReport(string directory, History history, string command, IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        var model = _snapshot.Restore(Architecture);
        var upToExport = new History();
        upToExport.Epochs.AddRange(history.Epochs.Take(_snapshot.Epoch));
        upToExport.IterationLoss.AddRange(history.IterationLoss.Take(_snapshot.Iterations));
        var written = new RunReport<float>(Architecture, model, upToExport, Data.Train)
        {
            Test = Data.Test,
            Health = MeasureHealth(model, _snapshot.WeightsBeforeLastStep),
            Command = command,
            Settings = settings,
            Title = $"{Data.Name}: {RunDescription.Network(Architecture)} (from the playground)",
        }.Write(directory);
        return written[^1];
    }

    /// <summary>
    /// The multilayer perceptron of <paramref name="settings"/>, as <c>nabla train</c> describes it, with a Dropout
    /// layer after each hidden activation when <see cref="PlaygroundSettings.Dropout"/> is set (<c>--dropout</c>).
    /// </summary>
    private static Architecture Describe(PlaygroundSettings settings, RunData data)
    {
        var train = data.Train;
        return Architecture.Mlp(train.FeatureCount, settings.Layers, train.TargetCount, settings.Activation, settings.Loss, train.ClassNames, settings.Dropout)
            with { FeatureNames = train.FeatureNames, Target = train.TargetName, Scaling = data.Scaling, HeldOut = data.HeldOut };
    }

    /// <summary>On the first (up to) 1,000 training samples, as the CLI's health summary probes.</summary>
    private TrainingHealth MeasureHealth(Sequential<float> model, IReadOnlyDictionary<string, float[]>? before)
    {
        var train = Data.Train;
        int rows = Math.Min(1000, train.Count);
        var x = new Matrix<float>(rows, train.FeatureCount, train.Features.Span[..(rows * train.FeatureCount)].ToArray());
        var y = new Matrix<float>(rows, train.TargetCount, train.Targets.Span[..(rows * train.TargetCount)].ToArray());
        return TrainingHealth.Measure(model, _evaluationLoss, x, y, before);
    }

    /// <summary>The weights at the end of the last completed epoch, copied into buffers allocated once.</summary>
    private sealed class EpochSnapshot(Sequential<float> model, WeightUpdates<float> updates) : ITrainingCallback<float>
    {
        private readonly Dictionary<string, float[]> _weights = model.SnapshotParameters();
        private readonly Dictionary<string, float[]> _before = model.SnapshotParameters();

        public int Epoch { get; private set; }

        public int Iterations { get; private set; }

        public IReadOnlyDictionary<string, float[]>? WeightsBeforeLastStep => Epoch > 0 ? _before : null;

        public void OnEpochEnd(TrainingContext<float> context)
        {
            foreach (var (name, p) in model.NamedParameters)
                p.Value.Span.CopyTo(_weights[name]);
            if (updates.WeightsBeforeLastStep is { } before)
                foreach (var (name, values) in before)
                    values.CopyTo(_before[name], 0);
            Epoch = context.Epoch;
            Iterations = context.History.IterationLoss.Count;
        }

        /// <summary>A fresh network holding the snapshot (the live one keeps training).</summary>
        public Sequential<float> Restore(Architecture architecture)
        {
            var copy = architecture.Build<float>(ConstantInitializer.Zeros, new Rng(0));
            copy.RestoreParameters(_weights);
            return copy;
        }
    }
}
