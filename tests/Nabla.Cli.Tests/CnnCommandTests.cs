using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Data;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>
/// Convolutional networks through the command line: <c>--network</c> on image data (IDX files carry their shape; a CSV file
/// gets <c>--input-shape</c>), the usage errors of a network that does not fit, and <c>evaluate</c>, <c>predict --data</c>,
/// <c>gradcheck</c>, <c>trace</c>, the report and <c>--resume</c> on a CNN.
/// </summary>
public class CnnCommandTests
{
    /// <summary>Seed 002's network, scaled down to 8×8 images of three of ten classes.</summary>
    private const string Small = "Conv2d(4, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(16), ReLU, Linear(10)";

    private static string[] Train(string data, string network, params string[] more) => Train(data, network, 6, more);

    private static string[] Train(string data, string network, int epochs, params string[] more) =>
        ["train", "--data", data, "--network", network, "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.01", "--batch-size", "16",
            "--epochs", epochs.ToString(CultureInfo.InvariantCulture), .. more];

    [FashionMnistFact]
    public void TheIssuesCommandTrainsSeed002sCnnOnFashionMnistImages()
    {
        using var dir = new TempDirectory();
        var catalog = new DatasetCatalog();
        static (byte[][], byte[]) Bytes(Dataset<float> d, int n) =>
            ([.. Enumerable.Range(0, n).Select(i => d.Features.Row(i).ToArray().Select(v => (byte)Math.Round(v * 255)).ToArray())], [.. d.Labels!.Take(n).Select(l => (byte)l)]);
        var (trainImages, trainLabels) = Bytes(catalog.Load<float>("fashion-mnist"), 320);
        var (testImages, testLabels) = Bytes(catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test }), 100);
        ImageData.WriteIdx(dir.File("fm"), 28, trainImages, trainLabels, testImages, testLabels);

        // The issue's command word for word, on the first 320 training images and for one epoch.
        var run = Runner.Run("train", "--data", dir.File("fm"), "--network", "Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10)",
            "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "1e-4", "--batch-size", "32", "--epochs", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Conv2d(1×28×28 => 32×28×28", run.Out);
        Assert.Contains("Linear(6272 => 784)", run.Out);
        Assert.Contains("Test accuracy:", run.Out);
    }

    [Theory]
    [InlineData("Conv2d(4, 3), Conv2d(3, 8, 3), Flatten, Linear(10)", "Layer 1: Conv2d(3, 8, 3) takes 3 input channels; received 4×6×6.")]
    [InlineData("MaxPool2d(2), MaxPool2d(2), MaxPool2d(2), MaxPool2d(2), Flatten, Linear(10)", "Layer 3: MaxPool2d(2) shrinks a 1×1×1 input below 1×1.")]
    [InlineData("Conv2d(4, 9), Flatten, Linear(10)", "Layer 0: Conv2d(4, 9) shrinks a 1×8×8 input below 1×1")]
    [InlineData("Conv3d(8, 3), Flatten, Linear(10)", "Module 1 ('Conv3d(8, 3)'): Unknown module 'Conv3d'")]
    [InlineData("Conv2d(4, 3), Linear(10)", "Layer 1: Linear(10) takes a row of features; received a 4×6×6 input. Put Flatten before it.")]
    public void AWrongCnnIsAUsageErrorNamingTheModuleAndTheShapeItReceived(string network, string expected)
    {
        using var dir = new TempDirectory();
        string data = ImageData.Shapes(dir);

        var run = Runner.Run(Train(data, network));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--network \"{network}\" on {data} (1×8×8 images, 10 classes): {expected}", run.Err);
    }

    [Fact]
    public void EvaluatePredictGradcheckAndTraceWorkOnATrainedCnn()
    {
        using var dir = new TempDirectory();
        string data = ImageData.Shapes(dir);
        var trained = Runner.Run(Train(data, Small, "--out", dir.File("run")));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        string model = Path.Combine(dir.File("run"), ModelFile.FileName);
        double trainAccuracy = double.Parse(Regex.Match(trained.Out, @"Test accuracy: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(trainAccuracy >= 0.9, trained.Out);

        var evaluated = Runner.Run("evaluate", "--model", model, "--data", data, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        using var report = JsonDocument.Parse(evaluated.Out);
        Assert.Equal(trainAccuracy, report.RootElement.GetProperty("accuracy").GetDouble(), 4);

        var predicted = Runner.Run("predict", "--model", model, "--data", data);
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        var rows = predicted.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("predicted," + string.Join(",", Enumerable.Range(0, 10).Select(c => $"p_{c}")), rows[0]);
        Assert.Equal(31, rows.Length);
        // The shapes' test images are labelled 0, 1, 2, 0, 1, 2, …
        double correct = rows.Skip(1).Where((r, i) => r.Split(',')[0] == (i % 3).ToString(CultureInfo.InvariantCulture)).Count();
        Assert.Equal(trainAccuracy, correct / 30, 4);

        var checkedModel = Runner.Run("gradcheck", "--model", model, "--data", data, "--samples", "4");
        Assert.True(checkedModel.ExitCode == 0, checkedModel.ToString());
        Assert.Contains("All gradients match.", checkedModel.Out);

        var traced = Runner.Run("trace", "--model", model, "--data", data, "--sample", "2");
        Assert.True(traced.ExitCode == 0, traced.ToString());
        Assert.Contains("a0 (input) = 1×8×8 (64 numbers): min ", traced.Out);
        Assert.Contains("z1 = 0.weight · a0 + 0.bias = 4×8×8 (256 numbers): min ", traced.Out);
        Assert.Contains("dL/d0.weight = 4×1×3×3 (36 numbers)", traced.Out);
        Assert.Contains("y = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]", traced.Out);
        var json = Runner.Run("trace", "--model", model, "--data", data, "--sample", "2", "--json");
        using var trace = JsonDocument.Parse(json.Out);
        Assert.Equal([4, 8, 8], trace.RootElement.GetProperty("layers")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(256, trace.RootElement.GetProperty("layers")[0].GetProperty("output").GetArrayLength());
    }

    [Fact]
    public void GradcheckChecksANewCnnWithDropoutAndBatchNorm()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("gradcheck", "--data", ImageData.Shapes(dir), "--network",
            "Conv2d(3, 3, padding=1), Tanh, BatchNorm2d, AvgPool2d(2), Conv2d(4, 2, stride=2), ELU, Flatten, Linear(6), Dropout(0.5), BatchNorm1d, Linear(10)",
            "--loss", "cross-entropy", "--samples", "6", "--max-elements", "40", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var tensors = doc.RootElement.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Contains(tensors, t => t.GetProperty("name").GetString() == "0.weight" && t.GetProperty("elements").GetInt32() == 27);
        Assert.Contains(tensors, t => t.GetProperty("name").GetString() == "input" && t.GetProperty("elements").GetInt32() == 40);
        Assert.All(tensors, t => Assert.True(t.GetProperty("passed").GetBoolean()));
    }

    [Fact]
    public void TheReportOfACnnShowsItsFiltersFeatureMapsAndDistributions()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run(Train(ImageData.Shapes(dir), Small, "--out", dir.File("run")));

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string figure in (string[])["filters", "feature-maps", "distributions", "histograms"])
            Assert.True(File.Exists(Path.Combine(dir.File("run"), figure + ".svg")), $"no {figure}.svg");
        string html = File.ReadAllText(Path.Combine(dir.File("run"), "report.html"));
        Assert.Contains("Inside the network", html);
        Assert.Contains("Filters of layer 0 (Conv2d(1, 4, 3, padding=1)): 4 of 4, 3×3", html);
        Assert.Contains("0.weight (weight)", html);
        Assert.Contains("1 ReLU (activation)", html);
    }

    [Fact]
    public void AConfigFileSpellsACnnAsAList()
    {
        using var dir = new TempDirectory();
        string config = dir.File("cnn.yaml");
        File.WriteAllText(config, $"data: {ImageData.Shapes(dir)}\nnetwork: [Conv2d(4, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(10)]\nloss: cross-entropy\noptimizer: adam\nlearning-rate: 0.01\nbatch-size: 16\nepochs: 2\n");

        var run = Runner.Run("train", "--config", config);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Conv2d(1×8×8 => 4×8×8", run.Out);
    }

    [Fact]
    public void ACsvOfImagesTakesItsShapeFromInputShape()
    {
        using var dir = new TempDirectory();
        string idx = ImageData.Shapes(dir);
        var shapes = new DatasetCatalog().Load<float>(idx);
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(0, 64).Select(p => $"p{p}")) + ",label\n");
        for (int i = 0; i < shapes.Count; i++)
            csv.AppendJoin(',', shapes.Features.Row(i).ToArray().Select(v => v.ToString("0.####", CultureInfo.InvariantCulture))).Append(',').Append(shapes.Labels![i]).Append('\n');
        string path = dir.File("shapes.csv");
        File.WriteAllText(path, csv.ToString());

        // The CSV's labels name three classes.
        string network = Small.Replace("Linear(10)", "Linear(3)", StringComparison.Ordinal);
        var trained = Runner.Run(Train(path, network, "--input-shape", "1,8,8", "--test", "0.25"));
        var wrongShape = Runner.Run(Train(path, network, "--input-shape", "1,9,9"));
        var notAShape = Runner.Run(Train(path, network, "--input-shape", "8x8"));
        var noShape = Runner.Run(Train(path, network));

        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Contains("Conv2d(1×8×8 => 4×8×8", trained.Out);
        Assert.Equal(2, wrongShape.ExitCode);
        Assert.Contains("--input-shape 1×9×9 holds 81 values per sample; " + path + " has 64 feature columns.", wrongShape.Err);
        Assert.Equal(2, notAShape.ExitCode);
        Assert.Contains("Invalid shape '8x8' for --input-shape: expected channels, height and width", notAShape.Err);
        Assert.Equal(2, noShape.ExitCode);
        Assert.Contains("takes images (C×H×W); received a 64 input", noShape.Err);
    }

    [Fact]
    public void OneAndTwoThreadsGiveTheSameModelFileForACnn()
    {
        using var dir = new TempDirectory();
        string data = ImageData.Shapes(dir, train: 192);
        // Batches of 64 of 8×8×8 feature maps are 32,768 values: enough for batch norm and pooling to split across the
        // threads too, not only the convolution; dropout's generator and the shuffle run on the caller's thread alone.
        const string network = "Conv2d(8, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(16), ReLU, Dropout(0.3), BatchNorm1d, Linear(10)";
        byte[] Model(string threads)
        {
            var run = Runner.Run("train", "--data", data, "--network", network, "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.01",
                "--batch-size", "64", "--epochs", "3", "--threads", threads, "--out", dir.File("threads-" + threads));
            Assert.True(run.ExitCode == 0, run.ToString());
            return File.ReadAllBytes(Path.Combine(dir.File("threads-" + threads), ModelFile.FileName));
        }

        Assert.Equal(Model("1"), Model("2"));
    }

    [Fact]
    public void AResumedCnnWithDropoutAndBatchNormEndsByteIdentical()
    {
        using var dir = new TempDirectory();
        string data = ImageData.Shapes(dir);
        const string network = "Conv2d(4, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(16), ReLU, Dropout(0.3), BatchNorm1d, Linear(10)";
        var straight = Runner.Run(Train(data, network, 4, "--out", dir.File("straight")));
        var stopped = Runner.Run(Train(data, network, 2, "--checkpoint-every", "1", "--out", dir.File("stopped")));
        var resumed = Runner.Run("train", "--resume", dir.File("stopped"), "--epochs", "4");

        Assert.True(straight.ExitCode == 0 && stopped.ExitCode == 0, straight + stopped.ToString());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Dropout(p=0.3)", resumed.Out);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("straight"), ModelFile.FileName)), File.ReadAllBytes(Path.Combine(dir.File("stopped"), ModelFile.FileName)));
    }
}
