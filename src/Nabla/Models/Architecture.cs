using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Activations;
using Nabla.Losses;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>
/// Everything needed to rebuild a trained network apart from its weights: the layers, the loss, the
/// task and class names, and how inputs were scaled. Model files keep it as JSON under the metadata
/// key <see cref="MetadataKey"/>.
/// </summary>
public sealed record Architecture
{
    /// <summary>The safetensors metadata key that holds the architecture JSON.</summary>
    public const string MetadataKey = "nabla.architecture";

    /// <summary>The layers, in order; parameter names follow their indices (<c>"0.weight"</c>).</summary>
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

    /// <summary>How raw inputs are scaled before the first layer; null when they are fed as they are.</summary>
    [JsonPropertyName("scaling"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Scaling? Scaling { get; init; }

    /// <summary>The version of Nabla that wrote the model.</summary>
    [JsonPropertyName("nabla_version")]
    public string NablaVersion { get; init; } = Version;

    /// <summary>The running Nabla version.</summary>
    public static string Version { get; } = typeof(Architecture).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Number of input features.</summary>
    [JsonIgnore]
    public int Inputs => Layers.First(l => l.Kind == "Linear").Inputs!.Value;

    /// <summary>Number of network outputs (classes, or regression targets).</summary>
    [JsonIgnore]
    public int Outputs => Layers.Last(l => l.Kind == "Linear").Outputs!.Value;

    /// <summary>True when the network classifies.</summary>
    [JsonIgnore]
    public bool IsClassifier => ClassNames is not null;

    /// <summary>The loss names <see cref="CreateLoss{T}"/> accepts.</summary>
    public static IReadOnlyList<string> LossNames { get; } = ["cross-entropy", "mse", "mse+cross-entropy", "binary-cross-entropy"];

    /// <summary>
    /// A multilayer perceptron: <c>Linear → activation</c> for each hidden size, then a linear output
    /// layer producing logits (classification; the loss applies the softmax) or values (regression).
    /// </summary>
    public static Architecture Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, string activation, string loss,
        IReadOnlyList<string>? classNames)
    {
        var layers = new List<LayerSpec>();
        int previous = inputs;
        foreach (int units in hidden)
        {
            layers.Add(LayerSpec.Linear(previous, units));
            layers.Add(LayerSpec.Activation(activation));
            previous = units;
        }
        layers.Add(LayerSpec.Linear(previous, outputs));
        var architecture = new Architecture { Layers = layers, Loss = loss, ClassNames = classNames };
        architecture.Validate();
        return architecture;
    }

    /// <summary>Builds the network with weights drawn by <paramref name="initializer"/> from <paramref name="rng"/>, biases zero.</summary>
    public Sequential<T> Build<T>(IInitializer initializer, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate();
        return new Sequential<T>(Layers.Select(spec => CreateLayer<T>(spec, initializer, rng)).ToArray());
    }

    /// <summary>The loss object named by <see cref="Loss"/>.</summary>
    public ILoss<T> CreateLoss<T>() where T : unmanaged, IFloatingPointIeee754<T> => Loss switch
    {
        "cross-entropy" => new CrossEntropy<T>(),
        "mse" => new MeanSquaredError<T>(),
        // Seed 000: the MSE of the softmax probabilities plus the cross-entropy, fused on one softmax.
        "mse+cross-entropy" => new SoftmaxMseCrossEntropy<T>(),
        "binary-cross-entropy" => new BinaryCrossEntropy<T>(),
        _ => throw new ArgumentException($"Unknown loss '{Loss}'; expected one of: {string.Join(", ", LossNames)}."),
    };

    /// <summary>Checks that the layers chain (each Linear's inputs equal the previous outputs) and the loss and kinds are known.</summary>
    /// <exception cref="ArgumentException">Says which layer is wrong and what was expected.</exception>
    public void Validate()
    {
        if (Layers.Count == 0)
            throw new ArgumentException("An architecture needs at least one layer; received none.");
        if (!LossNames.Contains(Loss))
            throw new ArgumentException($"Unknown loss '{Loss}'; expected one of: {string.Join(", ", LossNames)}.");
        int? width = null;
        for (int i = 0; i < Layers.Count; i++)
        {
            var spec = Layers[i];
            if (spec.Kind == "Linear")
            {
                if (spec.Inputs is not > 0 || spec.Outputs is not > 0)
                    throw new ArgumentException($"Layer {i} (Linear) needs positive 'in' and 'out'; received in={spec.Inputs}, out={spec.Outputs}.");
                if (width is { } w && w != spec.Inputs)
                    throw new ArgumentException($"Layer {i} (Linear) takes {spec.Inputs} inputs but the layer before it gives {w}.");
                width = spec.Outputs;
            }
            else if (!KnownKinds.Contains(spec.Kind))
            {
                throw new ArgumentException($"Layer {i} has unknown kind '{spec.Kind}'; expected one of: Linear, {string.Join(", ", KnownKinds)}.");
            }
        }
        if (width is null)
            throw new ArgumentException("An architecture needs at least one Linear layer; received none.");
        if (ClassNames is { } names && names.Count != Outputs && !(Loss == "binary-cross-entropy" && Outputs == 1))
            throw new ArgumentException($"The network has {Outputs} outputs but {names.Count} class names.");
        if (Scaling is { } s && s.FeatureCount != Inputs)
            throw new ArgumentException($"The input scaling has {s.Offset.Length} offsets and {s.Scale.Length} scales; the network has {Inputs} inputs.");
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
        architecture.Validate();
        return architecture;
    }

    private static readonly string[] KnownKinds = ["Tanh", "Sigmoid", "ReLU", "LeakyReLU", "Softmax", "Identity", "Dropout"];

    private static readonly JsonSerializerOptions JsonOptions = new() { RespectRequiredConstructorParameters = true };

    private static ILayer<T> CreateLayer<T>(LayerSpec spec, IInitializer initializer, Rng rng) where T : unmanaged, IFloatingPointIeee754<T> =>
        spec.Kind switch
        {
            "Linear" => new Dense<T>(spec.Inputs!.Value, spec.Outputs!.Value, initializer, rng),
            "Tanh" => new Tanh<T>(),
            "Sigmoid" => new Sigmoid<T>(),
            "ReLU" => new Relu<T>(),
            "LeakyReLU" => new LeakyRelu<T>(spec.Slope ?? 0.01),
            "Softmax" => new Softmax<T>(),
            "Identity" => new Identity<T>(),
            "Dropout" => new Dropout<T>(spec.Probability ?? 0.5, rng),
            _ => throw new ArgumentException($"Unknown layer kind '{spec.Kind}'."),
        };
}
