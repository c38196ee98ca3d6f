using System.Numerics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Text;

namespace Nabla.Serialization;

/// <summary>
/// A trained model as one safetensors file: each parameter under its PyTorch <c>nn.Sequential</c>
/// <c>state_dict</c> name (<c>"0.weight"</c> of shape [out, in], <c>"0.bias"</c> of shape [out],
/// activation layers counting in the index), in F32, with the <see cref="Architecture"/> as JSON under
/// the metadata key <see cref="Architecture.MetadataKey"/>. The same file loads into the equivalent
/// PyTorch network with <c>model.load_state_dict(safetensors.torch.load_file(path))</c>.
/// </summary>
public static class ModelFile
{
    /// <summary>The name <c>nabla train --out DIR</c> gives the model file.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>
    /// Writes <paramref name="model"/> and <paramref name="architecture"/> to <paramref name="path"/> atomically:
    /// a failure leaves any previous file untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The model's parameters are not the ones <paramref name="architecture"/> describes.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(string path, Sequential<float> model, Architecture architecture)
    {
        architecture.Validate();
        var expected = ExpectedTensors(architecture);
        var parameters = model.NamedParameters;
        if (parameters.Count != expected.Count)
            throw new ArgumentException($"The model has {parameters.Count} parameter tensors; its architecture describes {expected.Count}.", nameof(model));
        var tensors = new List<SafeTensor>(parameters.Count);
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, p) = parameters[i];
            var (expectedName, shape) = expected[i];
            if (name != expectedName || p.Value.Length != shape.Aggregate(1L, (a, b) => a * b))
                throw new ArgumentException(
                    $"The model's parameter '{name}' ({p.Value.Rows}x{p.Value.Cols}) does not match the architecture's '{expectedName}' [{string.Join(", ", shape)}].", nameof(model));
            tensors.Add(SafeTensor.FromFloat32(name, shape, p.Value.Span));
        }
        var metadata = new Dictionary<string, string>
        {
            [Architecture.MetadataKey] = architecture.ToJson(),
            ["format"] = "pt",
            [SafeTensorsFile.DataChecksumMetadataKey] = SafeTensorsFile.ComputeDataChecksum(tensors),
        };
        SafeTensorsFile.Write(path, tensors, metadata);
    }

    /// <summary>
    /// Reads a model file and rebuilds the network in <typeparamref name="T"/> (float values widen exactly to double).
    /// </summary>
    /// <exception cref="NablaInputException">
    /// The file is missing or not valid safetensors, has no or an invalid architecture, fails its checksum,
    /// lacks a tensor, holds an unexpected one, or a tensor has the wrong dtype or shape or a non-finite value.
    /// The message names the file and the tensor.
    /// </exception>
    public static (Sequential<T> Model, Architecture Architecture) Load<T>(string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!File.Exists(path))
            throw new NablaInputException(
                Directory.Exists(path) ? $"{path}: is a directory; expected a model file (such as {Path.Combine(path, FileName)})." : $"{path}: model file not found.", path);
        var file = SafeTensorsFile.Read(path);
        if (!file.Metadata.TryGetValue(Architecture.MetadataKey, out var json))
            throw new NablaInputException(
                $"{path}: the safetensors metadata has no '{Architecture.MetadataKey}' entry; expected a model file written by 'nabla train'.", path);
        Architecture architecture;
        try
        {
            architecture = Architecture.FromJson(json);
        }
        catch (ArgumentException e)
        {
            throw new NablaInputException($"{path}: metadata '{Architecture.MetadataKey}': {Quoted.Message(e.Message)}", path, e);
        }
        if (file.Metadata.ContainsKey(SafeTensorsFile.DataChecksumMetadataKey))
            file.VerifyDataChecksum();

        var expected = ExpectedTensors(architecture);
        var names = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tensor in file.Tensors)
            if (!names.Contains(tensor.Name))
                throw new NablaInputException(
                    $"{path}: unexpected tensor {Quoted.Value(tensor.Name)}; the architecture has only {Quoted.List(expected.ConvertAll(e => e.Name))}.", path);

        // Every tensor is checked before the network is built, so a header that claims huge layers allocates nothing.
        foreach (var (name, shape) in expected)
        {
            if (!file.TryGet(name, out var tensor))
                throw new NablaInputException($"{path}: missing tensor '{name}' of shape [{string.Join(", ", shape)}].", path);
            if (tensor.DType != SafeTensorDType.F32)
                throw new NablaInputException($"{path}: tensor '{name}': expected dtype F32; received {tensor.DType.ToJsonName()}.", path);
            if (!tensor.Shape.SequenceEqual(shape))
                throw new NablaInputException(
                    $"{path}: tensor '{name}': expected shape {SafeTensor.FormatShape(shape)}; received {SafeTensor.FormatShape(tensor.Shape)}.", path);
        }

        var model = architecture.Build<T>(ConstantInitializer.Zeros, new Rng(0));
        foreach (var ((name, _), (_, parameter)) in expected.Zip(model.NamedParameters))
        {
            var values = file.GetFloat32(name);
            var destination = parameter.Value.Span;
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw new NablaInputException($"{path}: tensor '{name}': element {i} is {values[i]}; expected finite weights.", path);
                destination[i] = T.CreateChecked(values[i]);
            }
        }
        return (model, architecture);
    }

    /// <summary>The tensors a model of <paramref name="architecture"/> has, in order: <c>"i.weight"</c> [out, in] and <c>"i.bias"</c> [out] for each linear layer i.</summary>
    internal static List<(string Name, long[] Shape)> ExpectedTensors(Architecture architecture)
    {
        var tensors = new List<(string, long[])>();
        for (int i = 0; i < architecture.Layers.Count; i++)
        {
            var layer = architecture.Layers[i];
            if (layer.Kind != "Linear")
                continue;
            tensors.Add(($"{i}.weight", [layer.Outputs!.Value, layer.Inputs!.Value]));
            tensors.Add(($"{i}.bias", [layer.Outputs!.Value]));
        }
        return tensors;
    }
}
