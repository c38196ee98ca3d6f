using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Losses;
using Nabla.Tensors;
using Nabla.Text;

namespace Nabla.Models;

/// <summary>
/// Everything needed to rebuild a trained network apart from its weights: the per-sample input shape, the
/// layers, the loss, the task and class names, and how inputs were scaled. Model files keep it as JSON under
/// the metadata key <see cref="MetadataKey"/>. Every question about a layer goes to its <see cref="LayerKind"/>.
/// </summary>
public sealed record Architecture
{
    /// <summary>The safetensors metadata key that holds the architecture JSON.</summary>
    public const string MetadataKey = "nabla.architecture";

    /// <summary>
    /// The shape of one input sample (<c>[4]</c> for iris, <c>[1, 28, 28]</c> for an image). Model files written
    /// before it was stored leave it out; their network starts with a <c>Linear</c> layer, whose input size gives it.
    /// </summary>
    [JsonPropertyName("input_shape"), JsonConverter(typeof(SampleShapeJsonConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SampleShape? InputShape { get; init; }

    /// <summary>The layers, in order; tensor names follow their indices (<c>"0.weight"</c>).</summary>
    [JsonPropertyName("layers")]
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>The loss the network was trained with (<see cref="LossNames"/>).</summary>
    [JsonPropertyName("loss")]
    public required string Loss { get; init; }

    /// <summary>Class names, index = class; null for regression.</summary>
    [JsonPropertyName("classes")]
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Names of the input features, when known.</summary>
    [JsonPropertyName("features"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>How raw inputs are scaled before the first layer (after <see cref="PixelScale"/>); null when they are fed as they are.</summary>
    [JsonPropertyName("scaling"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Scaling? Scaling { get; init; }

    /// <summary>
    /// Raw inputs are divided by this first: an image model trained on pixel bytes (0–255) that its loader divided by
    /// 255 records 255, so raw pixels given to <c>predict</c> reach the network as they did in training. Null: no division.
    /// </summary>
    [JsonPropertyName("pixel_scale"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? PixelScale { get; init; }

    /// <summary>The raw columns the features are encoded from, when one of them holds text (one-hot encoded); null when every feature is a column's number.</summary>
    [JsonPropertyName("columns"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<InputColumn>? Columns { get; init; }

    /// <summary>The name of the target column the model was trained to predict (a CSV file's label), when known.</summary>
    [JsonPropertyName("target"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }

    /// <summary>
    /// A regression model's target scaling: it was trained on <c>(y − offset) / scale</c>, so its raw outputs are turned
    /// back into the data's units with <c>ŷ · scale + offset</c>. Null: outputs are in the data's units.
    /// </summary>
    [JsonPropertyName("target_scaling"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Scaling? TargetScaling { get; init; }

    /// <summary>What the run held out of its data (seed, fractions, and which data), so evaluation can find those rows again; null when nothing was.</summary>
    [JsonPropertyName("held_out"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HeldOut? HeldOut { get; init; }

    /// <summary>The version of Nabla that wrote the model.</summary>
    [JsonPropertyName("nabla_version")]
    public string NablaVersion { get; init; } = Version;

    /// <summary>The running Nabla version.</summary>
    public static string Version { get; } = typeof(Architecture).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The shape of one input sample: <see cref="InputShape"/>, or for an older file the first <c>Linear</c>'s input size.</summary>
    /// <exception cref="ArgumentException">Neither is known.</exception>
    [JsonIgnore]
    public SampleShape Input => InputShape
        ?? (Layers is [{ Kind: "Linear" } first, ..] && (first.Given("in_features") ?? first.Given("in")) is { Number: > 0 and <= int.MaxValue } n
            ? SampleShape.Features((int)n.Number!.Value)
            : throw new ArgumentException("The architecture has no input_shape, and its first layer is not a Linear layer that would give it."));

    /// <summary>Number of input values per sample.</summary>
    [JsonIgnore]
    public int Inputs => Input.Size;

    /// <summary>Number of network outputs (classes, or regression targets).</summary>
    [JsonIgnore]
    public int Outputs => Resolve()[^1].Output.Size;

    /// <summary>True when the network classifies.</summary>
    [JsonIgnore]
    public bool IsClassifier => ClassNames is not null;

    /// <summary>The loss names <see cref="CreateLoss{T}"/> accepts.</summary>
    public static IReadOnlyList<string> LossNames { get; } = ["cross-entropy", "mse", "mse+cross-entropy", "binary-cross-entropy"];

    /// <summary>
    /// A multilayer perceptron: <c>Linear → activation</c> for each hidden size (then <c>Dropout(p)</c> when
    /// <paramref name="dropout"/> is above 0), then a linear output layer producing logits (classification; the loss
    /// applies the softmax) or values (regression).
    /// </summary>
    /// <exception cref="ArgumentException">A size, the activation or the dropout probability (in [0, 1)) is invalid.</exception>
    public static Architecture Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, string activation, string loss,
        IReadOnlyList<string>? classNames, double dropout = 0)
    {
        var layers = new List<LayerSpec>();
        int previous = inputs;
        foreach (int units in hidden)
        {
            layers.Add(LayerSpec.Linear(previous, units));
            layers.Add(LayerSpec.Activation(activation));
            if (dropout != 0)
                layers.Add(new LayerSpec(DropoutKind.Instance.Name, [new("p", OptionValue.Of(dropout))]));
            previous = units;
        }
        layers.Add(LayerSpec.Linear(previous, outputs));
        var architecture = new Architecture { InputShape = SampleShape.Features(inputs), Layers = layers, Loss = loss, ClassNames = classNames };
        architecture.Validate();
        return architecture;
    }

    /// <summary>
    /// A network from a list of layer specs, possibly lazy (<c>Linear(784)</c>, <c>Conv2d(32, 3)</c>): input sizes
    /// are inferred from <paramref name="input"/> and stored, so the result is complete.
    /// </summary>
    /// <exception cref="ArgumentException">A layer cannot take the shape it receives, or the outputs do not fit the classes; the message names the layer and the shape.</exception>
    public static Architecture FromLayers(SampleShape input, IReadOnlyList<LayerSpec> layers, string loss, IReadOnlyList<string>? classNames)
    {
        var draft = new Architecture { InputShape = input, Layers = layers, Loss = loss, ClassNames = classNames };
        var architecture = draft with { Layers = [.. draft.Resolve().Select(l => l.Spec)] };
        architecture.Validate();
        return architecture;
    }

    /// <summary>
    /// The network <paramref name="layers"/> (possibly lazy) sized for <paramref name="data"/>: its <see cref="Dataset{T}.SampleShape"/>
    /// is the input shape (an image's C×H×W for a convolution; the row of C·H·W values when the first layer takes rows,
    /// as a <c>Linear</c> does), and its class and feature names come along. The one place a dataset's sample shape is read.
    /// </summary>
    /// <exception cref="ArgumentException">A layer cannot take the shape it receives, or the outputs do not fit the classes; the message names the layer and the shape.</exception>
    public static Architecture For<T>(Dataset<T> data, IReadOnlyList<LayerSpec> layers, string loss) where T : unmanaged, IFloatingPointIeee754<T> =>
        FromLayers(NetworkInput(data.SampleShape, layers), layers, loss, data.ClassNames) with
        {
            FeatureNames = data.FeatureNames,
            Target = data.TargetName,
            PixelScale = data.PixelScale,
            Columns = data.Columns,
        };

    /// <summary><paramref name="sample"/>, or its row of values when the first of <paramref name="layers"/> takes rows.</summary>
    private static SampleShape NetworkInput(SampleShape sample, IReadOnlyList<LayerSpec> layers) =>
        sample.Rank > 1 && layers is [{ } first, ..] && LayerKinds.TryGet(first.Kind, out var kind) && kind.TakesRows ? SampleShape.Features(sample.Size) : sample;

    /// <summary>Each layer with its complete spec and the shapes it maps, in order.</summary>
    /// <exception cref="ArgumentException">A layer is unknown or cannot take the shape it receives; the message says which layer and why.</exception>
    public IReadOnlyList<ResolvedLayer> Resolve()
    {
        if (Layers is null || Layers.Count == 0)
            throw new ArgumentException("An architecture needs at least one layer; received none.");
        var resolved = new List<ResolvedLayer>(Layers.Count);
        var shape = Input;
        for (int i = 0; i < Layers.Count; i++)
        {
            var spec = Layers[i] ?? throw new ArgumentException($"Layer {i} is null; expected a layer such as {{\"kind\": \"ReLU\"}}.");
            try
            {
                var kind = LayerKinds.Get(spec.Kind);
                var (complete, output) = kind.Resolve(spec, shape);
                resolved.Add(new ResolvedLayer(i, complete, kind, shape, output));
                shape = output;
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i}: {e.Message}", e);
            }
        }
        return resolved;
    }

    /// <summary>Builds the network with weights drawn by <paramref name="initializer"/> from <paramref name="rng"/>, biases zero.</summary>
    public Sequential<T> Build<T>(IInitializer initializer, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate();
        return new Sequential<T>([.. Resolve().Select(l => l.Kind.Build<T>(l.Spec, l.Input, initializer, rng))]);
    }

    /// <summary>The loss object named by <see cref="Loss"/>, with <paramref name="classWeights"/> (one per class) when given.</summary>
    /// <exception cref="ArgumentException">The loss is unknown, or takes no class weights (only cross-entropy and mse+cross-entropy do).</exception>
    public ILoss<T> CreateLoss<T>(IReadOnlyList<double>? classWeights = null) where T : unmanaged, IFloatingPointIeee754<T> => Loss switch
    {
        "cross-entropy" => new CrossEntropy<T>(classWeights),
        // Seed 000: the MSE of the softmax probabilities plus the cross-entropy, fused on one softmax.
        "mse+cross-entropy" => new MseCrossEntropy<T>(classWeights),
        _ when classWeights is not null => throw new ArgumentException($"Class weights apply to cross-entropy and mse+cross-entropy; the loss is {Loss}."),
        "mse" => new MeanSquaredError<T>(),
        "binary-cross-entropy" => new BinaryCrossEntropy<T>(),
        _ => throw new ArgumentException($"Unknown loss '{Loss}'; expected one of: {string.Join(", ", LossNames)}."),
    };

    /// <summary>Checks that every layer takes the shape it receives, and that the loss, classes and scaling fit the network.</summary>
    /// <exception cref="ArgumentException">Says which layer or field is wrong and what was expected.</exception>
    public void Validate()
    {
        if (!LossNames.Contains(Loss))
            throw new ArgumentException($"Unknown loss '{Loss}'; expected one of: {string.Join(", ", LossNames)}.");
        var layers = Resolve();
        if (!layers.Any(l => l.Kind.Tensors(l.Spec, l.Input).Any(t => t.Role == TensorRole.Parameter)))
            throw new ArgumentException("An architecture needs at least one layer with weights; received none.");
        int outputs = layers[^1].Output.Size;
        if (ClassNames is { } names)
        {
            if (names.Any(n => n is null))
                throw new ArgumentException("A class name is null; expected a name for every class.");
            if (names.Select(SafeName.Problem).FirstOrDefault(p => p is not null) is { } problem)
                throw new ArgumentException($"A class name is unfit to keep and print: {problem}.");
            if (names.Count != outputs && !(Loss == "binary-cross-entropy" && outputs == 1))
                throw new ArgumentException($"The network has {outputs} outputs but {names.Count} class names.");
        }
        if (FeatureNames is { } features && features.Any(f => f is null))
            throw new ArgumentException("A feature name is null; expected a name for every feature.");
        if (FeatureNames?.Select(SafeName.Problem).FirstOrDefault(p => p is not null) is { } featureProblem)
            throw new ArgumentException($"A feature name is unfit to keep and print: {featureProblem}.");
        if (Scaling is { } s && s.FeatureCount != Inputs)
            throw new ArgumentException($"The input scaling has {s.Offset.Length} offsets and {s.Scale.Length} scales; the network has {Inputs} inputs.");
        if (PixelScale is { } pixels && !(pixels > 0 && double.IsFinite(pixels)))
            throw new ArgumentException($"The pixel scale must be a positive finite number; received {pixels}.");
        if (TargetScaling is { } t && (ClassNames is not null || t.FeatureCount != outputs))
            throw new ArgumentException($"The target scaling has {t.FeatureCount} columns; expected one per output of a regression network ({(ClassNames is null ? outputs : 0)}).");
        if (Target is { } target && SafeName.Problem(target) is { } targetProblem)
            throw new ArgumentException($"The target name is unfit to keep and print: {targetProblem}.");
        HeldOut?.Validate();
        if (Columns is { } columns)
            ValidateColumns(columns);
    }

    private void ValidateColumns(IReadOnlyList<InputColumn> columns)
    {
        if (columns.Any(c => c is null || c.Name is null || c.Categories is { Count: 0 } || c.Categories?.Any(k => k is null) == true))
            throw new ArgumentException("A column is null, has no name, or has an empty or null category; expected a name and, for text, its categories.");
        if (columns.Sum(c => (long)c.Width) != Inputs)
            throw new ArgumentException($"The columns encode {columns.Sum(c => (long)c.Width)} features; the network has {Inputs} inputs.");
        if (columns.SelectMany(c => c.Categories?.Prepend(c.Name) ?? [c.Name]).Select(SafeName.Problem).FirstOrDefault(p => p is not null) is { } problem)
            throw new ArgumentException($"A column or category name is unfit to keep and print: {problem}.");
        if (columns.FirstOrDefault(c => c.Categories is { } k && k.Distinct(StringComparer.Ordinal).Count() != k.Count) is { } repeated)
            throw new ArgumentException($"The column '{repeated.Name}' lists a category twice.");
    }

    /// <summary>The architecture as JSON (the model file's metadata).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses <see cref="ToJson"/>'s output and validates it.</summary>
    /// <exception cref="ArgumentException">The JSON is malformed or describes an invalid network.</exception>
    public static Architecture FromJson(string json)
    {
        Architecture? architecture;
        try
        {
            architecture = JsonSerializer.Deserialize<Architecture>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The architecture JSON is malformed: {e.Message}", e);
        }
        if (architecture is null)
            throw new ArgumentException("The architecture JSON is null.");
        if (architecture.Layers is null)
            throw new ArgumentException("The architecture's \"layers\" is null; expected a list of layers.");
        for (int i = 0; i < architecture.Layers.Count; i++)
            if (architecture.Layers[i] is null)
                throw new ArgumentException($"Layer {i} is null; expected a layer such as {{\"kind\": \"ReLU\"}}.");
        if (architecture.Loss is null)
            throw new ArgumentException("The architecture's \"loss\" is null; expected one of: " + string.Join(", ", LossNames) + ".");
        architecture.Validate();
        // Older files used other option names ("in", "out", "slope"); the resolved specs use PyTorch's.
        return architecture with { InputShape = architecture.Input, Layers = [.. architecture.Resolve().Select(l => l.Spec)] };
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { RespectRequiredConstructorParameters = true };
}
