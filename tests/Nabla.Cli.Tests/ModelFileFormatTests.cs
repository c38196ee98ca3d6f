using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Nabla.Cli.Tests;

/// <summary>Reads the model file <c>nabla train</c> writes with a safetensors reader written here from the format's description, independent of Nabla's.</summary>
public class ModelFileFormatTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    private sealed record Entry(string DType, long[] Shape, long Begin, long End);

    [Fact]
    public void TheFileIsSafetensorsWithPyTorchSequentialNamesShapesAndTheArchitecture()
    {
        var bytes = File.ReadAllBytes(trained.ModelPath);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.True(headerLength > 0 && 8 + headerLength <= (ulong)bytes.Length);
        Assert.Equal(0UL, (8 + headerLength) % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));

        var entries = new Dictionary<string, Entry>();
        Dictionary<string, string>? metadata = null;
        foreach (var property in header.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                metadata = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
                continue;
            }
            var offsets = property.Value.GetProperty("data_offsets").EnumerateArray().Select(v => v.GetInt64()).ToArray();
            entries[property.Name] = new Entry(property.Value.GetProperty("dtype").GetString()!,
                property.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray(), offsets[0], offsets[1]);
        }

        // Seed 000's network as PyTorch's nn.Sequential(Linear(2, 2), Tanh(), Linear(2, 2)): the Tanh counts as index 1.
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([2L, 2], entries["0.weight"].Shape);
        Assert.Equal([2L], entries["0.bias"].Shape);
        Assert.Equal([2L, 2], entries["2.weight"].Shape);
        Assert.Equal([2L], entries["2.bias"].Shape);
        Assert.All(entries.Values, e => Assert.Equal("F32", e.DType));

        // Offsets: each tensor's bytes are exactly its elements, the tensors tile the data region without gaps or overlaps.
        long dataLength = bytes.Length - 8 - (long)headerLength;
        long expectedBegin = 0;
        foreach (var e in entries.Values.OrderBy(e => e.Begin))
        {
            Assert.Equal(expectedBegin, e.Begin);
            Assert.Equal(e.Shape.Aggregate(1L, (a, b) => a * b) * 4, e.End - e.Begin);
            expectedBegin = e.End;
        }
        Assert.Equal(dataLength, expectedBegin);
        foreach (var e in entries.Values)
            for (long i = e.Begin; i < e.End; i += 4)
                Assert.True(float.IsFinite(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)(8 + (long)headerLength + i)))));

        Assert.NotNull(metadata);
        using var architecture = JsonDocument.Parse(metadata["nabla.architecture"]);
        var layers = architecture.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["Linear", "Tanh", "Linear"], layers);
        Assert.Equal("mse+cross-entropy", architecture.RootElement.GetProperty("loss").GetString());
        Assert.Equal(["0", "1"], architecture.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.True(architecture.RootElement.TryGetProperty("nabla_version", out _));
    }
}
