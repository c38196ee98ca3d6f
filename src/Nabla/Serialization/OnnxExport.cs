using System.Text.Json;
using Nabla.IO;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Onnx;

namespace Nabla.Serialization;

/// <summary>
/// A trained model as an ONNX file that ONNX Runtime, Triton or any ONNX host serves. The graph takes the same raw
/// features as <c>nabla predict --input</c>, <c>input</c> of shape <c>[batch, features]</c> (the batch size is set at
/// run time): an image model's pixel scale comes first (<c>Div</c> by 255), then the model's input scaling (<c>Sub</c> offset,
/// <c>Div</c> scale), then for an image model a <c>Reshape</c> to <c>[batch, C, H, W]</c>, then each layer's
/// evaluation-mode nodes, as its kind writes them (<see cref="LayerKind.ToOnnx"/>); a regression model trained on scaled
/// targets ends with their inverse (<c>Mul</c> scale, <c>Add</c> offset), so its outputs are in the data's units.
/// The outputs are named by what they hold (<see cref="OutputNames"/>).
/// Initializers carry the model file's tensor names (<c>0.weight</c>); the metadata holds the class and feature
/// names, the input shape, the Nabla version and the architecture JSON.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX IR version written: 7 (ONNX 1.8), read by ONNX Runtime and by <c>onnx</c> 1.12's checker.</summary>
    public const long IrVersion = 7;

    /// <summary>The ONNX operator set written: 13, whose <c>Gemm</c>, <c>Softmax</c>, <c>Reshape</c>, <c>Sub</c> and <c>Div</c> every current runtime takes.</summary>
    public const long Opset = 13;

    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    /// <summary>The name of the dynamic batch dimension.</summary>
    public const string BatchDimension = "batch";

    /// <summary>
    /// The graph's outputs for <paramref name="architecture"/>: <c>logits</c> and <c>probabilities</c> for a classifier
    /// whose loss is built on a softmax (a softmax over the logits) or on a sigmoid (binary cross-entropy: a sigmoid
    /// of each logit); <c>scores</c> for a classifier trained with plain MSE; <c>outputs</c> for a regression model.
    /// </summary>
    public static IReadOnlyList<string> OutputNames(Architecture architecture) =>
        !architecture.IsClassifier ? ["outputs"] : ProbabilityOperator(architecture) is null ? ["scores"] : ["logits", "probabilities"];

    /// <summary>Writes the ONNX file of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException">The model's tensors are not the ones <paramref name="architecture"/> describes.</exception>
    /// <exception cref="NotSupportedException">A layer's kind has no ONNX form; the message names the layer.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(string path, Sequential<float> model, Architecture architecture)
    {
        byte[] bytes = ToBytes(model, architecture);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The bytes of the ONNX file of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model's tensors are not the ones <paramref name="architecture"/> describes.</exception>
    /// <exception cref="NotSupportedException">A layer's kind has no ONNX form; the message names the layer.</exception>
    public static byte[] ToBytes(Sequential<float> model, Architecture architecture) => ToModel(model, architecture).ToBytes();

    /// <summary>The ONNX model of <paramref name="model"/>, before it is written.</summary>
    /// <exception cref="ArgumentException">The model's tensors are not the ones <paramref name="architecture"/> describes.</exception>
    /// <exception cref="NotSupportedException">A layer's kind has no ONNX form; the message names the layer.</exception>
    public static OnnxModel ToModel(Sequential<float> model, Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = TensorsByName(model, architecture);
        var graph = new OnnxGraphBuilder();
        var input = architecture.Input;
        string value = graph.Input(InputName);
        if (architecture.PixelScale is { } pixels)
            value = graph.Node("Div", "pixels.Div", [value, graph.Initializer("pixels.scale", [1], [(float)pixels])]);
        if (architecture.Scaling is { } scaling)
        {
            long[] dims = [scaling.FeatureCount];
            value = graph.Node("Sub", "scaling.Sub", [value, graph.Initializer("scaling.offset", dims, [.. scaling.Offset.Select(v => (float)v)])]);
            value = graph.Node("Div", "scaling.Div", [value, graph.Initializer("scaling.scale", dims, [.. scaling.Scale.Select(v => (float)v)])]);
        }
        if (input.Rank > 1)
            value = graph.Node("Reshape", "input.Reshape", [value, graph.Initializer("input.shape", [input.Rank + 1], [-1, .. input.Dims.Select(d => (long)d)])]);
        foreach (var layer in architecture.Resolve())
        {
            var export = new OnnxLayerExport(graph, layer.Index, layer.Spec, layer.Input, layer.Output, value, name => tensors.TryGetValue($"{layer.Index}.{name}", out var tensor)
                ? tensor
                : throw new ArgumentException($"Layer {layer.Index} ({layer.Spec}) has no float tensor '{name}'; its kind declares {string.Join(", ", layer.Tensors.Select(t => t.Name))}."));
            try
            {
                value = layer.Kind.ToOnnx(export);
            }
            catch (NotSupportedException e)
            {
                throw new NotSupportedException($"Layer {layer.Index} ({layer.Spec}): {e.Message}", e);
            }
        }

        if (architecture.TargetScaling is { } targets)
        {
            long[] dims = [targets.FeatureCount];
            value = graph.Node("Mul", "target_scaling.Mul", [value, graph.Initializer("target_scaling.scale", dims, [.. targets.Scale.Select(v => (float)v)])]);
            value = graph.Node("Add", "target_scaling.Add", [value, graph.Initializer("target_scaling.offset", dims, [.. targets.Offset.Select(v => (float)v)])]);
        }
        var names = OutputNames(architecture);
        graph.Rename(value, names[0]);
        if (ProbabilityOperator(architecture) is { } probability)
            graph.Node(probability, names[1], [names[0]], probability == "Softmax" ? [OnnxAttribute.Of("axis", 1L)] : []);
        int outputs = architecture.Outputs;
        var inputInfo = new OnnxValueInfo(InputName, OnnxDataType.Float, [OnnxDimension.Named(BatchDimension), OnnxDimension.Of(input.Size)]);
        var outputInfos = names.Select(n => new OnnxValueInfo(n, OnnxDataType.Float, [OnnxDimension.Named(BatchDimension), OnnxDimension.Of(outputs)])).ToList();
        return new OnnxModel(IrVersion, [new OnnxOpset("", Opset)], graph.Build("nabla", [inputInfo], outputInfos))
        {
            ProducerName = "nabla",
            ProducerVersion = Architecture.Version,
            Metadata = Metadata(architecture),
        };
    }

    /// <summary>The ONNX operator that turns logits into the probabilities the loss models, or null when the loss models none (MSE, regression).</summary>
    private static string? ProbabilityOperator(Architecture architecture) => ClassProbabilities.For(architecture) switch
    {
        ProbabilityFunction.Softmax => "Softmax",
        ProbabilityFunction.Sigmoid => "Sigmoid",
        _ => null,
    };

    private static List<KeyValuePair<string, string>> Metadata(Architecture architecture)
    {
        var metadata = new List<KeyValuePair<string, string>>();
        if (architecture.ClassNames is { } classes)
            metadata.Add(new("classes", JsonSerializer.Serialize(classes)));
        if (architecture.FeatureNames is { } features)
            metadata.Add(new("features", JsonSerializer.Serialize(features)));
        metadata.Add(new("input_shape", JsonSerializer.Serialize(architecture.Input.Dims)));
        metadata.Add(new("outputs", JsonSerializer.Serialize(OutputNames(architecture))));
        metadata.Add(new("nabla_version", Architecture.Version));
        metadata.Add(new(Architecture.MetadataKey, architecture.ToJson()));
        return metadata;
    }

    /// <summary>Every float tensor of <paramref name="model"/> by its file name, after checking they are the ones <paramref name="architecture"/> describes.</summary>
    private static Dictionary<string, (IReadOnlyList<long> Shape, float[] Values)> TensorsByName(Sequential<float> model, Architecture architecture)
    {
        var expected = ModelFile.ExpectedTensors(architecture);
        var tensors = model.NamedTensors;
        if (tensors.Count != expected.Count)
            throw new ArgumentException($"The model has {tensors.Count} tensors; its architecture describes {expected.Count}.", nameof(model));
        var byName = new Dictionary<string, (IReadOnlyList<long>, float[])>(StringComparer.Ordinal);
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, tensor) = tensors[i];
            if (name != expected[i].Name || !tensor.FileShape.SequenceEqual(expected[i].Shape))
                throw new ArgumentException(
                    $"The model's tensor '{name}' [{string.Join(", ", tensor.FileShape)}] does not match the architecture's '{expected[i].Name}' [{string.Join(", ", expected[i].Shape)}].", nameof(model));
            switch (tensor)
            {
                case Parameter<float> p: byName[name] = (tensor.FileShape, p.Value.Span.ToArray()); break;
                case Buffer<float> b: byName[name] = (tensor.FileShape, b.Values); break;
            }
        }
        return byName;
    }
}
