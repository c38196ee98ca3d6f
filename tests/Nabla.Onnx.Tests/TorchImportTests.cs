using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.Cli.Tests;

namespace Nabla.Onnx.Tests;

/// <summary>
/// PyTorch's own export comes into Nabla: Debian's python3-torch trains an <c>nn.Sequential</c> on iris and writes it
/// with <c>torch.onnx.export</c>; <c>nabla import</c> makes a model file of it, and <c>nabla evaluate</c> gives
/// PyTorch's accuracy.
/// </summary>
public class TorchImportTests
{
    /// <summary>Trains on iris's raw features, prints the class order and the accuracy, and exports the model (with a final softmax when asked).</summary>
    private const string TrainAndExport = """
        import csv, sys, torch
        from torch import nn
        rows = list(csv.reader(open(sys.argv[1])))[1:]
        classes = list(dict.fromkeys(r[-1] for r in rows))
        x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
        y = torch.tensor([classes.index(r[-1]) for r in rows])
        torch.manual_seed(0)
        layers = [nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3)]
        model = nn.Sequential(*layers)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        for _ in range(200):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        model.eval()
        if sys.argv[3] == "softmax":
            model = nn.Sequential(*layers, nn.Softmax(dim=1))
        elif sys.argv[3] == "softplus":
            model = nn.Sequential(layers[0], nn.Softplus(), *layers[2:])
        with torch.no_grad():
            accuracy = (model(x).argmax(1) == y).float().mean().item()
        torch.onnx.export(model, x[:1], sys.argv[2], input_names=["features"], output_names=["scores"],
                          dynamic_axes={"features": {0: "n"}, "scores": {0: "n"}})
        print("classes", ",".join(classes))
        print(f"accuracy {accuracy:.6f}")
        """;

    [TorchFact]
    public void APyTorchExportImportsAndEvaluatesToPyTorchsAccuracy() => ImportsWithTorchsAccuracy("logits");

    [TorchFact]
    public void AFinalSoftmaxIsTakenAsTheLossesOwn() => ImportsWithTorchsAccuracy("softmax");

    [TorchFact]
    public void ANodeNablaCannotTakeIsNamedWithItsOperator()
    {
        using var dir = new TempDirectory();
        string onnx = dir.File("softplus.onnx");
        PythonOnnx.Run(TrainAndExport, IrisCsv(), onnx, "softplus");

        var run = Runner.Run("import", "--format", "onnx", "--input", onnx, "--output", dir.File("model.safetensors"));

        Assert.Equal(3, run.ExitCode);
        Assert.Matches(@"^error: .*softplus\.onnx: cannot import this ONNX model: node 1 ""[^""]*"" \(Softplus\): no Nabla layer takes the operator ""Softplus""; Nabla imports .*Gemm.*Relu", run.Err);
        Assert.False(File.Exists(dir.File("model.safetensors")));
    }

    /// <summary>A CNN with every image module, in eval mode with non-trivial batch-norm statistics: its outputs on random images, and the images.</summary>
    private const string ExportCnn = """
        import sys, torch
        from torch import nn
        torch.manual_seed(0)
        model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(4, 3, (3, 5), stride=2, padding=(1, 2)), nn.ELU(0.5), nn.AvgPool2d(2, padding=1),
                              nn.Flatten(), nn.Linear(27, 16), nn.BatchNorm1d(16), nn.Tanh(), nn.Linear(16, 5))
        for norm in (model[1], model[9]):
            norm.running_mean.uniform_(-1, 1); norm.running_var.uniform_(0.5, 2)
            norm.weight.data.uniform_(0.5, 1.5); norm.bias.data.uniform_(-0.5, 0.5)
        model.eval()
        x = torch.rand(6, 1, 16, 16)
        torch.onnx.export(model, x, sys.argv[1], input_names=["images"], dynamic_axes={"images": {0: "n"}})
        with open(sys.argv[2], "w") as f:
            f.writelines(",".join(repr(v) for v in row) + "\n" for row in x.reshape(6, -1).tolist())
        for row in model(x).softmax(1).tolist():
            print(",".join(repr(v) for v in row))
        """;

    [TorchFact]
    public void APyTorchCnnImportsAndPredictsAsInPyTorch()
    {
        using var dir = new TempDirectory();
        string onnx = dir.File("cnn.onnx"), images = dir.File("images.csv"), model = dir.File("cnn.safetensors");
        var torch = PythonOnnx.Run(ExportCnn, onnx, images).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();

        var imported = Runner.Run("import", "--input", onnx, "--output", model);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var predicted = Runner.Run("predict", "--model", model, "--input", images);
        Assert.True(predicted.ExitCode == 0, predicted.ToString());

        var nabla = predicted.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(6, nabla.Length);
        for (int r = 0; r < nabla.Length; r++)
            for (int c = 0; c < 5; c++)
                Assert.Equal(torch[r][c], nabla[r][c], 1e-5);
    }

    private static void ImportsWithTorchsAccuracy(string ending)
    {
        using var dir = new TempDirectory();
        string onnx = dir.File("iris.onnx"), model = dir.File("iris.safetensors");
        var printed = PythonOnnx.Run(TrainAndExport, IrisCsv(), onnx, ending);
        string classes = Regex.Match(printed, "classes (.+)").Groups[1].Value.Trim();
        double torchAccuracy = double.Parse(Regex.Match(printed, "accuracy ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);

        var imported = Runner.Run("import", "--format", "onnx", "--input", onnx, "--output", model, "--classes", classes);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("4 → 16 ReLU → 16 Tanh → 3, loss cross-entropy, classes setosa, versicolor, virginica", imported.Out);

        var evaluated = Runner.Run("evaluate", "--model", model, "--data", "iris", "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        double nablaAccuracy = double.Parse(Regex.Match(evaluated.Out, "\"accuracy\": ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(torchAccuracy, nablaAccuracy, 6);
        Assert.True(torchAccuracy > 0.9, $"PyTorch's model reached only {torchAccuracy} on iris; the comparison would mean little.");
    }

    private static string IrisCsv()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return Path.Combine(dir.FullName, "src", "Nabla", "Data", "Builtin", "iris.csv");
        throw new InvalidOperationException($"No Nabla.slnx above {AppContext.BaseDirectory}.");
    }
}
