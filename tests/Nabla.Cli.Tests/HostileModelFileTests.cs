using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>
/// Model files whose metadata is null, out of range or hostile where the architecture JSON is read: each is an input
/// error (exit 3) with a bounded message naming the file, from every command that reads a model, and the file is left as it was.
/// </summary>
public class HostileModelFileTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    private const string Linear = """{"kind":"Linear","in_features":2,"out_features":2}""";

    public static TheoryData<string, string> Metadata => new()
    {
        { """{"layers":null,"loss":"mse"}""", "\"layers\" is null" },
        { """{"layers":[null],"loss":"mse"}""", "Layer 0 is null" },
        { $$"""{"input_shape":[2],"layers":[{{Linear}},{"kind":"Tanh"},{{Linear}}],"loss":"cross-entropy","classes":[null,"1"]}""", "A class name is null" },
        { $$"""{"input_shape":[2],"layers":[{{Linear}},{"kind":"LeakyReLU","negative_slope":1e308},{{Linear}}],"loss":"mse"}""", "received negative_slope=1E+308" },
        { $$"""{"input_shape":[2],"layers":[{{Linear}},{"kind":"Dropout","p":5},{{Linear}}],"loss":"mse"}""", "p=5" },
        { $$"""{"input_shape":[2],"layers":[{{Linear}},{"kind":"Tanh"},{{Linear}}],"loss":"mse","scaling":{"kind":"standard","offset":null,"scale":[1,1]}""" + "}", "received no offsets" },
        { $$"""{"input_shape":[2],"layers":[{{Linear}},{"kind":"Tanh"},{{Linear}}],"loss":"cross-entropy","classes":["0","\u001b[2J\u001b[31m{{new string('x', 5000)}}"]}""", "A class name is unfit to keep and print" },
    };

    [Theory]
    [MemberData(nameof(Metadata))]
    public void BadModelMetadataIsAnInputErrorFromEveryCommandThatReadsIt(string json, string expected)
    {
        using var dir = new TempDirectory();
        string model = dir.File("model.safetensors");
        var good = SafeTensorsFile.Read(trained.ModelPath);
        File.WriteAllBytes(model, SafeTensorsFile.Serialize(good.Tensors, new Dictionary<string, string> { [Models.Architecture.MetadataKey] = json, ["format"] = "pt" }));
        byte[] before = File.ReadAllBytes(model);
        string points = dir.File("points.csv");
        File.WriteAllText(points, "x1,x2\n1,1\n");

        foreach (string[] command in new string[][]
        {
            ["evaluate", "--model", model],
            ["predict", "--model", model, "--input", points],
            ["trace", "--model", model, "--input", "1,1"],
            ["export", "--model", model, "--format", "onnx", "--output", dir.File("model.onnx")],
        })
        {
            var run = Runner.Run(command);

            Assert.True(run.ExitCode == 3, $"{command[0]}: {run}");
            Assert.Contains($"{model}: metadata 'nabla.architecture': ", run.Err);
            Assert.Contains(expected, run.Err);
            Assert.DoesNotContain("internal error", run.Err);
            Messages.AssertBounded(run.Err);
        }
        Assert.Equal(before, File.ReadAllBytes(model));
        Assert.Equal(["model.safetensors", "points.csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }
}
