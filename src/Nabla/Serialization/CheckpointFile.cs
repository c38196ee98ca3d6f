using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Nabla.IO;
using Nabla.Layers.Kinds;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Text;
using Nabla.Optimizers;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Serialization;

/// <summary>
/// A <see cref="Checkpoint"/> as one safetensors file. Tensors: the model's tensors under their model-file names
/// (<c>"0.weight"</c>, F32; counters I64), the optimizer's buffers as <c>"optimizer.{buffer}"</c> (F32, the shape of their
/// parameter), the per-iteration losses as <c>"history.iteration_loss"</c> (F64) and, when the run uses early
/// stopping, the model's tensors at its best epoch as <c>"early_stopping.best.{tensor}"</c>. Metadata: the
/// architecture (<see cref="Architecture.MetadataKey"/>), the trainer's, early stopping's and the schedule's state, the layers' generators and the settings as JSON
/// (<see cref="StateMetadataKey"/>) and a SHA-256 over all of it (<see cref="ChecksumMetadataKey"/>), checked on load.
/// </summary>
public static class CheckpointFile
{
    /// <summary>The name <c>nabla train</c> gives the checkpoint in its output directory.</summary>
    public const string FileName = "checkpoint.safetensors";

    /// <summary>The metadata key of the trainer's state and the run's settings (JSON).</summary>
    public const string StateMetadataKey = "nabla.checkpoint";

    /// <summary>
    /// The metadata key of the checksum: SHA-256 (hex) of the tensor data's SHA-256, the architecture JSON and
    /// the state JSON, each followed by a newline. A change to any weight, buffer, loss or state field fails it.
    /// </summary>
    public const string ChecksumMetadataKey = "nabla.checkpoint_sha256";

    /// <summary>The version of the state JSON this reader understands.</summary>
    public const int FormatVersion = 1;

    private const string OptimizerPrefix = "optimizer.";
    private const string IterationLossName = "history.iteration_loss";
    private const string BestWeightsPrefix = "early_stopping.best.";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically: a crash leaves the previous file whole.</summary>
    /// <exception cref="ArgumentException">The weights or buffers do not match the architecture.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(string path, Checkpoint checkpoint)
    {
        byte[] bytes = Serialize(checkpoint);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The bytes <see cref="Save"/> writes; the same checkpoint always gives the same bytes.</summary>
    /// <exception cref="ArgumentException">The weights or buffers do not match the architecture.</exception>
    public static byte[] Serialize(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var expected = ModelFile.ExpectedTensors(checkpoint.Architecture);
        var shapes = expected.ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal);
        var tensors = new List<SafeTensor>();
        AddModel(tensors, "", expected, checkpoint.Model, "model state");
        foreach (var (name, buffer) in checkpoint.Optimizer.Buffers)
        {
            string parameter = ParameterOf(name) ?? throw new ArgumentException($"Optimizer buffer '{name}' names no parameter of the architecture.", nameof(checkpoint));
            long[] shape = shapes.GetValueOrDefault(parameter) ?? throw new ArgumentException($"Optimizer buffer '{name}' names no parameter of the architecture.", nameof(checkpoint));
            tensors.Add(SafeTensor.FromFloat32(OptimizerPrefix + name, shape, Values(checkpoint.Optimizer.Buffers, name, shape, "optimizer buffer")));
        }
        if (checkpoint.EarlyStopping?.BestWeights is { } best)
            AddModel(tensors, BestWeightsPrefix, expected, best, "early-stopping best weights");
        var losses = checkpoint.State.History.IterationLoss;
        tensors.Add(SafeTensor.FromFloat64(IterationLossName, [losses.Count], losses.ToArray()));

        string architecture = checkpoint.Architecture.ToJson();
        string state = JsonSerializer.Serialize(StateJson.From(checkpoint), JsonOptions);
        var metadata = new Dictionary<string, string>
        {
            [Architecture.MetadataKey] = architecture,
            [StateMetadataKey] = state,
            [ChecksumMetadataKey] = Checksum(SafeTensorsFile.ComputeDataChecksum(tensors), architecture, state),
        };
        return SafeTensorsFile.Serialize(tensors, metadata);
    }

    /// <summary>Reads and checks the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="NablaInputException">
    /// The file is missing or not valid safetensors, lacks or fails its checksum, or its architecture, state,
    /// weights or optimizer buffers are malformed or disagree (names, dtypes, shapes); the message says which.
    /// </exception>
    public static Checkpoint Load(string path)
    {
        if (!File.Exists(path))
            throw new NablaInputException($"{path}: checkpoint not found; expected the {FileName} that 'nabla train --checkpoint-every N --out DIR' writes.", path);
        return Read(SafeTensorsFile.Read(path), path);
    }

    /// <summary>Reads and checks a checkpoint held in <paramref name="bytes"/>; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="NablaInputException">As for <see cref="Load"/>.</exception>
    public static Checkpoint Read(byte[] bytes, string sourceName = "(bytes)") => Read(SafeTensorsFile.Read(bytes, sourceName), sourceName);

    private static Checkpoint Read(SafeTensorsFile file, string source)
    {
        NablaInputException Fail(string detail) => new($"{source}: {detail}", file.Path);
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value)
            ? value
            : throw Fail($"the metadata has no '{key}' entry; expected a checkpoint written by 'nabla train --checkpoint-every'.");

        string architectureJson = Meta(Architecture.MetadataKey), stateJson = Meta(StateMetadataKey), expected = Meta(ChecksumMetadataKey);
        string actual = Checksum(file.ComputeDataChecksum(), architectureJson, stateJson);
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            throw Fail($"checksum mismatch: the metadata expects SHA-256 {Quoted.Value(expected)}; the content hashes to '{actual}'. The file is corrupt or was edited.");

        Architecture architecture;
        try
        {
            architecture = Architecture.FromJson(architectureJson);
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{source}: metadata '{Architecture.MetadataKey}': {Quoted.Message(e.Message)}", file.Path, e);
        }
        var state = StateJson.Parse(stateJson, Fail);

        var tensorSpecs = ModelFile.ExpectedTensors(architecture);
        var specs = tensorSpecs.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        var buffers = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var bestWeights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var bestCounters = new Dictionary<string, long>(StringComparer.Ordinal);
        double[]? iterationLoss = null;
        foreach (var tensor in file.Tensors)
        {
            if (tensor.Name == IterationLossName)
            {
                if (tensor.DType != SafeTensorDType.F64 || tensor.Shape.Count != 1)
                    throw Fail($"tensor '{IterationLossName}': expected a one-dimensional F64 tensor; received {tensor.DType.ToJsonName()} of shape {SafeTensor.FormatShape(tensor.Shape)}.");
                iterationLoss = file.GetFloat64(tensor.Name);
                continue;
            }
            string? buffer = tensor.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) ? tensor.Name[OptimizerPrefix.Length..] : null;
            bool isBest = tensor.Name.StartsWith(BestWeightsPrefix, StringComparison.Ordinal);
            string name = buffer is not null ? ParameterOf(buffer) ?? "" : isBest ? tensor.Name[BestWeightsPrefix.Length..] : tensor.Name;
            // The checksum covers the tensors' bytes, not their names: a buffer's kind is checked here.
            if (!specs.TryGetValue(name, out var spec) || (buffer is not null && (spec.Role != TensorRole.Parameter || !OptimizerBufferKinds.All.Contains(KindOf(buffer)))))
                throw Fail($"unexpected tensor {Quoted.Value(tensor.Name)}; expected the model's tensors {Quoted.List(specs.Keys)}, " +
                    $"optimizer buffers '{OptimizerPrefix}{{kind}}.{{parameter}}' (kind one of {Quoted.List(OptimizerBufferKinds.All)}), best weights " +
                    $"'{BestWeightsPrefix}{{tensor}}' and '{IterationLossName}'.");
            var dtype = spec.Role == TensorRole.Counter ? SafeTensorDType.I64 : SafeTensorDType.F32;
            if (tensor.DType != dtype || !tensor.Shape.SequenceEqual(spec.Shape))
                throw Fail($"tensor {Quoted.Value(tensor.Name)}: expected {dtype.ToJsonName()} of shape {SafeTensor.FormatShape(spec.Shape)}; received {tensor.DType.ToJsonName()} of shape {SafeTensor.FormatShape(tensor.Shape)}.");
            if (spec.Role == TensorRole.Counter)
            {
                long count = file.GetInt64(tensor.Name)[0];
                if (count < 0)
                    throw Fail($"tensor {Quoted.Value(tensor.Name)}: the count is {count}; expected 0 or more.");
                (isBest ? bestCounters : counters)[name] = count;
                continue;
            }
            var values = file.GetFloat32(tensor.Name);
            if (Array.FindIndex(values, v => !float.IsFinite(v)) is var bad and >= 0)
                throw Fail($"tensor {Quoted.Value(tensor.Name)}: element {bad} is {values[bad]}; expected finite values.");
            if (buffer is not null)
                buffers[buffer] = values;
            else if (isBest)
                bestWeights[name] = values;
            else
                weights[name] = values;
        }
        foreach (var (name, shape, role) in tensorSpecs)
            if (!(role == TensorRole.Counter ? counters.ContainsKey(name) : weights.ContainsKey(name)))
                throw Fail($"missing tensor '{name}' of shape [{string.Join(", ", shape)}].");
        if (iterationLoss is null)
            throw Fail($"missing tensor '{IterationLossName}'.");
        bool hasBest = bestWeights.Count + bestCounters.Count > 0;
        if (hasBest && state.EarlyStopping is null)
            throw Fail($"tensors '{BestWeightsPrefix}...' without early_stopping in metadata '{StateMetadataKey}'.");
        if (hasBest && tensorSpecs.FirstOrDefault(t => !(t.Role == TensorRole.Counter ? bestCounters.ContainsKey(t.Name) : bestWeights.ContainsKey(t.Name))) is { } lacking)
            throw Fail($"missing tensor '{BestWeightsPrefix}{lacking.Name}': the early-stopping best weights are incomplete.");

        var history = state.ToHistory(iterationLoss);
        var progress = state.InProgress;
        var random = state.Random ?? [];
        return new Checkpoint(architecture, new ModelState<float>(weights, counters, random), new OptimizerState<float>(state.OptimizerSteps, buffers),
            new TrainingState(state.CompletedEpochs, state.RngState, history, progress), state.Settings,
            state.EarlyStopping?.ToState(hasBest ? new ModelState<float>(bestWeights, bestCounters, random) : null), state.Schedule);
    }

    /// <summary>Adds a network's tensors as the model file stores them (F32 values, I64 counters), named with <paramref name="prefix"/>.</summary>
    private static void AddModel(List<SafeTensor> tensors, string prefix, List<TensorSpec> expected, ModelState<float> state, string what)
    {
        foreach (var (name, shape, role) in expected)
            tensors.Add(role == TensorRole.Counter
                ? SafeTensor.FromInt64(prefix + name, shape, [state.Counters.TryGetValue(name, out long count) ? count : throw new ArgumentException($"The checkpoint's {what} lack '{name}'.")])
                : SafeTensor.FromFloat32(prefix + name, shape, Values(state.Values, name, shape, what)));
        int floats = expected.Count(t => t.Role != TensorRole.Counter);
        if (state.Values.Count != floats || state.Counters.Count != expected.Count - floats)
            throw new ArgumentException($"The checkpoint's {what} has {state.Values.Count + state.Counters.Count} tensors; its architecture has {expected.Count}.");
    }

    private static float[] Values(IReadOnlyDictionary<string, float[]> source, string name, long[] shape, string what)
    {
        if (!source.TryGetValue(name, out var values))
            throw new ArgumentException($"The checkpoint's {what} lack '{name}'.");
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count)
            throw new ArgumentException($"The checkpoint's {what} '{name}' has {values.Length} values; its shape [{string.Join(", ", shape)}] needs {count}.");
        return values;
    }

    /// <summary>The kind of a buffer name such as <c>"m.0.weight"</c> (<c>"m"</c>), or empty.</summary>
    private static string KindOf(string buffer) => buffer[..Math.Max(0, buffer.IndexOf('.', StringComparison.Ordinal))];

    /// <summary>The parameter a buffer name such as <c>"m.0.weight"</c> belongs to (<c>"0.weight"</c>), or null.</summary>
    private static string? ParameterOf(string buffer)
    {
        int dot = buffer.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? buffer[(dot + 1)..] : null;
    }

    private static string Checksum(string dataSha256, string architecture, string state) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{dataSha256}\n{architecture}\n{state}\n")));

    /// <summary>The JSON form of the trainer's state, the history's per-epoch part and the settings.</summary>
    private sealed record StateJson(
        [property: JsonPropertyName("format")] int Format,
        [property: JsonPropertyName("completed_epochs")] int CompletedEpochs,
        [property: JsonPropertyName("rng_state")] ulong[] RngState,
        [property: JsonPropertyName("in_progress")] EpochProgress? InProgress,
        [property: JsonPropertyName("optimizer_steps")] long OptimizerSteps,
        [property: JsonPropertyName("epochs")] EpochRecord[] Epochs,
        [property: JsonPropertyName("skipped_batches")] SkippedBatch[] SkippedBatches,
        [property: JsonPropertyName("best_epoch")] int? BestEpoch,
        [property: JsonPropertyName("stop_reason")] string? StopReason,
        [property: JsonPropertyName("settings")] string[] Settings,
        [property: JsonPropertyName("early_stopping")] EarlyStoppingJson? EarlyStopping = null,
        [property: JsonPropertyName("random")] Dictionary<string, ulong[]>? Random = null,
        [property: JsonPropertyName("schedule")] Dictionary<string, double>? Schedule = null)
    {
        public static StateJson From(Checkpoint c) => new(
            FormatVersion, c.State.CompletedEpochs, c.State.RngState, c.State.InProgress, c.Optimizer.Steps,
            [.. c.State.History.Epochs], [.. c.State.History.SkippedBatches.Select(s => new SkippedBatch(s.Epoch, s.Batch, s.Where))],
            c.State.History.BestEpoch, c.State.History.StopReason?.Text, [.. c.Settings],
            c.EarlyStopping is { } e ? new EarlyStoppingJson(e.Best, e.BestEpoch, e.Wait) : null,
            c.Model.Random.Count > 0 ? c.Model.Random.ToDictionary(r => r.Key, r => r.Value) : null,
            c.Schedule is { Count: > 0 } schedule ? new Dictionary<string, double>(schedule, StringComparer.Ordinal) : null);

        public static StateJson Parse(string json, Func<string, NablaInputException> fail)
        {
            StateJson? state;
            try
            {
                state = JsonSerializer.Deserialize<StateJson>(json, JsonOptions);
            }
            catch (JsonException e)
            {
                throw fail($"metadata '{StateMetadataKey}' is malformed: {Quoted.Message(e.Message)}");
            }
            if (state is null)
                throw fail($"metadata '{StateMetadataKey}' is null; expected the trainer's state.");
            string? problem = state switch
            {
                { Format: not FormatVersion } => $"format {state.Format}; this Nabla reads format {FormatVersion}",
                { CompletedEpochs: < 0 } => $"completed_epochs {state.CompletedEpochs}; expected 0 or more",
                _ when state.Epochs.Length != state.CompletedEpochs => $"completed_epochs {state.CompletedEpochs} but {state.Epochs.Length} epoch records",
                _ when state.Epochs.Where((e, i) => e is null || e.Epoch != i + 1).Any() => "epoch records not numbered 1, 2, 3, ...",
                _ when state.RngState.Length != 4 || state.RngState.All(s => s == 0) => "rng_state must be four numbers, not all zero",
                { InProgress.CompletedBatches: < 1 } or { InProgress.Trained: < 0 } or { InProgress.Correct: < 0 } => "in_progress must count at least 1 batch and no negative samples",
                { OptimizerSteps: < 0 } => $"optimizer_steps {state.OptimizerSteps}; expected 0 or more",
                { EarlyStopping.Best: double.NaN } => "early_stopping.best is NaN",
                { EarlyStopping.BestEpoch: < 0 } or { EarlyStopping.Wait: < 0 } => "early_stopping.best_epoch and wait must be 0 or more",
                { EarlyStopping.BestEpoch: var bestEpoch } when bestEpoch > state.CompletedEpochs => $"early_stopping.best_epoch {bestEpoch} is after completed_epochs {state.CompletedEpochs}",
                _ when state.Settings.Any(s => s is null) || state.SkippedBatches.Any(s => s is null || s.Where is null) => "null entries in settings or skipped_batches",
                _ when state.Random?.Values.Any(r => r is null || r.Length != 4 || r.All(v => v == 0)) == true => "each random generator state must be four numbers, not all zero",
                _ => null,
            };
            return problem is null ? state : throw fail($"metadata '{StateMetadataKey}': {problem}.");
        }

        public History ToHistory(double[] iterationLoss)
        {
            var history = new History { BestEpoch = BestEpoch, StopReason = StopReason is null ? null : Training.StopReason.FromText(StopReason) };
            history.Epochs.AddRange(Epochs);
            history.IterationLoss.AddRange(iterationLoss);
            history.SkippedBatches.AddRange(SkippedBatches.Select(s => (s.Epoch, s.Batch, s.Where)));
            return history;
        }
    }

    /// <summary>The scalar part of <see cref="EarlyStoppingState{T}"/>; the best weights are tensors.</summary>
    private sealed record EarlyStoppingJson(
        [property: JsonPropertyName("best")] double Best,
        [property: JsonPropertyName("best_epoch")] int BestEpoch,
        [property: JsonPropertyName("wait")] int Wait)
    {
        public EarlyStoppingState<float> ToState(ModelState<float>? bestWeights) => new(Best, BestEpoch, Wait, bestWeights);
    }

    private sealed record SkippedBatch(
        [property: JsonPropertyName("epoch")] int Epoch,
        [property: JsonPropertyName("batch")] int Batch,
        [property: JsonPropertyName("where")] string Where);
}
