using System.Diagnostics;
using System.Text.Json;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Models;
using Nabla.Training;

namespace Nabla.Tests.Serialization;

/// <summary>
/// PyTorch itself, through <c>torch_load_model.py</c> (its own safetensors reader, <c>getattr(torch.nn, kind)(**options)</c>
/// per layer), loads Nabla's CNN model files with <c>load_state_dict(strict=True)</c> and computes the same outputs.
/// </summary>
public class TorchInteropTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [TorchFact]
    public void TorchLoadsSeed002sTrainedCnnStrictlyAndAgrees() => LoadsAndAgrees(CnnArchitectureTests.Seed002,
    [
        ["0.weight", "32,1,3,3"], ["0.bias", "32"], ["2.weight", "32"], ["2.bias", "32"], ["2.running_mean", "32"], ["2.running_var", "32"],
        ["2.num_batches_tracked", ""], ["5.weight", "784,6272"], ["5.bias", "784"], ["7.weight", "10,784"], ["7.bias", "10"],
    ]);

    [TorchFact]
    public void TorchLoadsSeed004sTrainedCnnStrictlyAndAgrees() => LoadsAndAgrees(CnnArchitectureTests.Seed004,
    [
        ["0.weight", "32,1,5,5"], ["0.bias", "32"], ["3.weight", "64,32,5,5"], ["3.bias", "64"],
        ["7.weight", "1024,3136"], ["7.bias", "1024"], ["10.weight", "10,1024"], ["10.bias", "10"],
    ]);

    [TorchFact]
    public void TorchLoadsEveryNewModuleWithPairsAndOptions() => LoadsAndAgrees(
        "Conv2d(6, (3, 5), stride=(2, 1), padding=(1, 2)), ELU(alpha=0.5), BatchNorm2d(eps=0.001, momentum=0.3), AvgPool2d(3, stride=2, padding=1), " +
        "Conv2d(8, 2, bias=False), LeakyReLU(0.1), MaxPool2d((2, 1), stride=(1, 2)), Flatten, BatchNorm1d, Linear(10)",
        [
            ["0.weight", "6,1,3,5"], ["0.bias", "6"], ["2.weight", "6"], ["2.bias", "6"], ["2.running_mean", "6"], ["2.running_var", "6"],
            ["2.num_batches_tracked", ""], ["4.weight", "8,6,2,2"], ["8.weight", "280"], ["8.bias", "280"], ["8.running_mean", "280"],
            ["8.running_var", "280"], ["8.num_batches_tracked", ""], ["9.weight", "10,280"], ["9.bias", "10"],
        ]);

    /// <summary>Trains a few Adam steps (so the running statistics and counts move), saves, and has torch load and run the file.</summary>
    private void LoadsAndAgrees(string network, string[][] expectedTensors)
    {
        var architecture = CnnArchitectureTests.Network(network, SampleShape.Image(1, 28, 28));
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(1));
        var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), new Adam<float>(1e-3));
        var rng = new Rng(2);
        var x = Uniform(16, 784, rng);
        var y = TestData.OneHot(16, 10, seed: 3).Convert<float>();
        for (int step = 0; step < 3; step++)
            trainer.TrainStep(x, y);
        var probe = Uniform(5, 784, rng);
        var outputs = model.Forward(probe, training: false);

        using var dir = new TempDirectory();
        string modelPath = Path.Combine(dir.Path, "model.safetensors"), batchPath = Path.Combine(dir.Path, "batch.safetensors");
        ModelFile.Save(modelPath, model, architecture);
        SafeTensorsFile.Write(batchPath, [SafeTensor.FromMatrix("input", probe), SafeTensor.FromMatrix("output", outputs)]);
        using var result = JsonDocument.Parse(RunTorch(modelPath, batchPath));
        var root = result.RootElement;

        double difference = root.GetProperty("max_abs_diff").GetDouble();
        output.WriteLine($"largest |torch − Nabla| over {outputs.Length} outputs: {difference:E2}; outputs span [{outputs.Span.ToArray().Min()}, {outputs.Span.ToArray().Max()}]");
        Assert.True(difference <= 1e-4, $"torch's outputs differ from Nabla's by up to {difference}; torch built {root.GetProperty("torch_modules")}");
        // The file stores exactly torch's state_dict: names, shapes, F32 values and the I64 count.
        var file = Tensors(root.GetProperty("file"));
        var torch = Tensors(root.GetProperty("state_dict"));
        Assert.Equal(torch.Select(t => (t.Name, t.Shape)).Order(), file.Select(t => (t.Name, t.Shape)).Order());
        foreach (var (name, shape, dtype) in file)
            Assert.Equal(name.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? "I64" : "F32", dtype);
        foreach (var (name, shape, dtype) in torch)
            Assert.Equal(name.EndsWith("num_batches_tracked", StringComparison.Ordinal) ? "torch.int64" : "torch.float32", dtype);
        Assert.Equal(expectedTensors.Select(t => (t[0], t[1])).Order(), file.Select(t => (t.Name, t.Shape)).Order());
    }

    private static Matrix<float> Uniform(int rows, int cols, Rng rng)
    {
        var m = new Matrix<float>(rows, cols);
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = (float)rng.NextDouble();
        return m;
    }

    private static List<(string Name, string Shape, string DType)> Tensors(JsonElement list) =>
        [.. list.EnumerateArray().Select(t => (t[0].GetString()!, string.Join(",", t[1].EnumerateArray().Select(d => d.GetInt64())), t[2].GetString()!))];

    private static string RunTorch(string modelPath, string batchPath)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Serialization", "torch_load_model.py");
        var start = new ProcessStartInfo(TorchFactAttribute.Python, [script, modelPath, batchPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "torch_load_model.py did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"torch_load_model.py failed ({process.ExitCode}): {stderr.Result}");
        return stdout;
    }
}
