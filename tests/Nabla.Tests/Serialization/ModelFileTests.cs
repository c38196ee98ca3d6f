using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

public class ModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly Architecture Mlp = Architecture.Mlp(3, [4, 5], 2, "tanh", "cross-entropy", ["no", "yes"]) with
    {
        Scaling = new Scaling(ScalingKind.Standard, [1, 2, 3], [0.5, 0.25, 2]),
    };

    private static Sequential<float> Model() => Mlp.Build<float>(GaussianInitializer.XavierNormal, new Rng(7));

    [Fact]
    public void SavesPyTorchNamesAndShapesWithBiasesOneDimensional()
    {
        string path = _dir.File("model.safetensors");
        ModelFile.Save(path, Model(), Mlp);

        var file = SafeTensorsFile.Read(path);
        var shapes = file.Tensors.ToDictionary(t => t.Name, t => t.Shape.ToArray());
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"], shapes.Keys.Order());
        Assert.Equal([4L, 3], shapes["0.weight"]);
        Assert.Equal([4L], shapes["0.bias"]);
        Assert.Equal([5L, 4], shapes["2.weight"]);
        Assert.Equal([2L, 5], shapes["4.weight"]);
        Assert.Equal([2L], shapes["4.bias"]);
        Assert.All(file.Tensors, t => Assert.Equal(SafeTensorDType.F32, t.DType));
        Assert.Equal(Mlp.ToJson(), file.Metadata[Architecture.MetadataKey]);
    }

    [Fact]
    public void RoundTripsEveryValueAndTheArchitecture()
    {
        string path = _dir.File("model.safetensors");
        var model = Model();
        ModelFile.Save(path, model, Mlp);

        var (loaded, architecture) = ModelFile.Load<float>(path);
        Assert.Equal(Mlp.ToJson(), architecture.ToJson());
        Assert.Equal(model.ToString(), loaded.ToString());
        foreach (var ((name, expected), (loadedName, actual)) in model.NamedParameters.Zip(loaded.NamedParameters))
        {
            Assert.Equal(name, loadedName);
            Assert.Equal(expected.Value.Span.ToArray(), actual.Value.Span.ToArray());
        }
    }

    [Fact]
    public void LoadsAsDoubleByExactWidening()
    {
        string path = _dir.File("model.safetensors");
        var model = Model();
        ModelFile.Save(path, model, Mlp);

        var (loaded, _) = ModelFile.Load<double>(path);
        Assert.Equal(model.Parameters[0].Value.Span.ToArray().Select(v => (double)v), loaded.Parameters[0].Value.Span.ToArray());
    }

    [Fact]
    public void ReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        string path = _dir.File("model.safetensors");
        ModelFile.Save(path, Model(), Mlp);
        ModelFile.Save(path, Model(), Mlp);
        Assert.Equal(["model.safetensors"], _dir.Entries());
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        string path = Write(tensors => tensors.Where(t => t.Name != "2.bias"));
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing tensor '2.bias' of shape [5]", e.Message);
    }

    [Fact]
    public void AnUnexpectedTensorIsNamed()
    {
        string path = Write(tensors => tensors.Append(SafeTensor.FromFloat32("6.weight", [1, 1], [1f])));
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains("unexpected tensor '6.weight'", e.Message);
    }

    [Fact]
    public void AWrongShapeIsNamed()
    {
        string path = Write(tensors => tensors.Select(t => t.Name == "0.bias" ? SafeTensor.FromFloat32("0.bias", [1, 4], new float[4]) : t));
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains("tensor '0.bias': expected shape [4]; received [1, 4]", e.Message);
    }

    [Fact]
    public void AWrongDtypeIsNamed()
    {
        string path = Write(tensors => tensors.Select(t => t.Name == "0.weight" ? SafeTensor.FromFloat64("0.weight", [4, 3], new double[12]) : t));
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains("tensor '0.weight': expected dtype F32; received F64", e.Message);
    }

    [Fact]
    public void ANonFiniteWeightIsRejected()
    {
        string path = Write(tensors => tensors.Select(t => t.Name == "0.bias" ? SafeTensor.FromFloat32("0.bias", [4], [0, float.NaN, 0, 0]) : t));
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains("tensor '0.bias': element 1 is NaN", e.Message);
    }

    [Fact]
    public void AFileWithoutTheArchitectureIsRejected()
    {
        string path = _dir.File("plain.safetensors");
        SafeTensorsFile.Write(path, [SafeTensor.FromFloat32("0.weight", [1, 1], [1f])]);
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains($"no '{Architecture.MetadataKey}' entry", e.Message);
    }

    [Fact]
    public void AnInvalidArchitectureIsRejected()
    {
        string path = _dir.File("bad.safetensors");
        SafeTensorsFile.Write(path, [], new Dictionary<string, string> { [Architecture.MetadataKey] = "{\"layers\": [], \"loss\": \"mse\"}" });
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("at least one layer", e.Message);
    }

    [Fact]
    public void AMissingFileIsAnInputError()
    {
        var e = Assert.Throws<NablaInputException>(() => ModelFile.Load<float>(_dir.File("nope.safetensors")));
        Assert.Contains("model file not found", e.Message);
    }

    /// <summary>Writes a model file whose tensors were changed by <paramref name="edit"/> (and no checksum, so only the edit is wrong).</summary>
    private string Write(Func<IEnumerable<SafeTensor>, IEnumerable<SafeTensor>> edit)
    {
        string good = _dir.File("good.safetensors");
        ModelFile.Save(good, Model(), Mlp);
        var file = SafeTensorsFile.Read(good);
        string path = _dir.File("edited.safetensors");
        SafeTensorsFile.Write(path, edit(file.Tensors).ToList(), new Dictionary<string, string> { [Architecture.MetadataKey] = file.Metadata[Architecture.MetadataKey] });
        return path;
    }
}
