using System.Numerics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
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
        var expected = ExpectedTensors(architecture);
        var tensors = model.NamedTensors;
        if (tensors.Count != expected.Count)
            throw new ArgumentException($"The model has {tensors.Count} tensors; its architecture describes {expected.Count}.", nameof(model));
        var written = new List<SafeTensor>(tensors.Count);
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, tensor) = tensors[i];
            var spec = expected[i];
            if (name != spec.Name || !tensor.FileShape.SequenceEqual(spec.Shape) || Role(tensor) != spec.Role)
                throw new ArgumentException(
                    $"The model's tensor '{name}' [{string.Join(", ", tensor.FileShape)}] does not match the architecture's '{spec.Name}' [{string.Join(", ", spec.Shape)}].", nameof(model));
            written.Add(tensor switch
            {
                Parameter<float> p => SafeTensor.FromFloat32(name, spec.Shape, p.Value.Span),
                Buffer<float> b => SafeTensor.FromFloat32(name, spec.Shape, b.Values),
                Counter c => SafeTensor.FromInt64(name, spec.Shape, [c.Value]),
                _ => throw new ArgumentException($"The model's tensor '{name}' is a {tensor.GetType().Name}, which model files cannot store.", nameof(model)),
            });
        }
        var metadata = new Dictionary<string, string>
        {
            [Architecture.MetadataKey] = architecture.ToJson(),
            ["format"] = "pt",
            [SafeTensorsFile.DataChecksumMetadataKey] = SafeTensorsFile.ComputeDataChecksum(written),
        };
        SafeTensorsFile.Write(path, written, metadata);
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
        foreach (var (name, shape, role) in expected)
        {
            if (!file.TryGet(name, out var tensor))
                throw new NablaInputException($"{path}: missing tensor '{name}' of shape [{string.Join(", ", shape)}].", path);
            var dtype = role == TensorRole.Counter ? SafeTensorDType.I64 : SafeTensorDType.F32;
            if (tensor.DType != dtype)
                throw new NablaInputException($"{path}: tensor '{name}': expected dtype {dtype.ToJsonName()}; received {tensor.DType.ToJsonName()}.", path);
            if (!tensor.Shape.SequenceEqual(shape))
                throw new NablaInputException(
                    $"{path}: tensor '{name}': expected shape {SafeTensor.FormatShape(shape)}; received {SafeTensor.FormatShape(tensor.Shape)}.", path);
        }

        var model = architecture.Build<T>(ConstantInitializer.Zeros, new Rng(0));
        foreach (var (name, layerTensor) in model.NamedTensors)
        {
            if (layerTensor is Counter counter)
            {
                counter.Value = file.GetInt64(name)[0];
                continue;
            }
            var destination = layerTensor is Parameter<T> p ? p.Value.Span : ((Buffer<T>)layerTensor).Values;
            var values = file.GetFloat32(name);
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                    throw new NablaInputException($"{path}: tensor '{name}': element {i} is {values[i]}; expected finite values.", path);
                destination[i] = T.CreateChecked(values[i]);
            }
        }
        return (model, architecture);
    }

    /// <summary>The tensors a model of <paramref name="architecture"/> has, in order, named as in the file (<c>"0.weight"</c> [out, in], <c>"0.bias"</c> [out]), as its layers' kinds declare them.</summary>
    /// <exception cref="ArgumentException">The architecture is invalid.</exception>
    internal static List<TensorSpec> ExpectedTensors(Architecture architecture)
    {
        architecture.Validate();
        return [.. architecture.Resolve().SelectMany(l => l.Tensors)];
    }

    private static TensorRole Role(LayerTensor tensor) => tensor switch
    {
        Counter => TensorRole.Counter,
        Buffer<float> => TensorRole.Buffer,
        _ => TensorRole.Parameter,
    };
}
