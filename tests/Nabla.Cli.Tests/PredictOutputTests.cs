using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>predict --output</c> writes where the path leads, as a shell's redirection would (through links, into FIFOs and
/// devices, <c>-</c> for stdout), replacing only regular files, atomically; <c>evaluate</c> and <c>predict</c> run a wide
/// model in bounded batches with the numbers of one batch.
/// </summary>
public class PredictOutputTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    private string Points()
    {
        string input = trained.File($"points-{Guid.NewGuid():N}.csv");
        File.WriteAllText(input, "x1,x2\n1.0,1.0\n2.0,2.0\n0.2,0.4\n");
        return input;
    }

    private string Expected(string input)
    {
        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("predicted,p_0,p_1\n", run.Out);
        return run.Out;
    }

    private static string FileType(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["--format=%F", path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string type = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return type;
    }

    [Fact]
    public void DashWritesToStdout()
    {
        string input = Points();

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", "-");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Expected(input), run.Out);
        Assert.False(File.Exists("-"));
    }

    [Fact]
    public void ASymlinkStaysALinkAndTheFileItPointsToGetsThePredictions()
    {
        using var dir = new TempDirectory();
        string input = Points();
        Directory.CreateDirectory(dir.File("results"));
        string target = Path.Combine(dir.File("results"), "latest.csv");
        File.WriteAllText(target, "old predictions");
        string link = dir.File("predictions.csv");
        File.CreateSymbolicLink(link, target);
        string dangling = dir.File("dangling.csv");
        File.CreateSymbolicLink(dangling, Path.Combine(dir.File("results"), "new.csv"));

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", link);
        var toNew = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", dangling);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(toNew.ExitCode == 0, toNew.ToString());
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal(Expected(input), File.ReadAllText(target));
        Assert.Equal("symbolic link", FileType(dangling));
        Assert.Equal(Expected(input), File.ReadAllText(Path.Combine(dir.File("results"), "new.csv")));
        Assert.Equal(["latest.csv", "new.csv"], Directory.GetFileSystemEntries(dir.File("results")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AFifoIsWrittenToAndStaysAFifo()
    {
        using var dir = new TempDirectory();
        string input = Points();
        string fifo = dir.File("predictions.fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
            mkfifo.WaitForExit();
        // The reader: opening a FIFO waits for the writer, and reading ends when it closes.
        string? read = null;
        var reader = new Thread(() => read = File.ReadAllText(fifo)) { IsBackground = true };
        reader.Start();

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", fifo);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(reader.Join(TimeSpan.FromSeconds(60)), "the reader never finished");
        Assert.Equal(Expected(input), read);
        Assert.Equal("fifo", FileType(fifo));
    }

    [Fact]
    public void DevStdoutReachesThePipe()
    {
        string input = Points();

        var run = Runner.RunProcess("predict", "--model", trained.ModelPath, "--input", input, "--output", "/dev/stdout");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Expected(input), run.Out);
        Assert.Equal("symbolic link", FileType("/dev/stdout"));
    }

    [DeviceFact]
    public void ACharacterDeviceIsWrittenToAndStaysADevice()
    {
        // A private copy of /dev/null (character device 1,3), so a failure cannot replace the real one.
        using var dir = new TempDirectory();
        string input = Points();
        string device = dir.File("null");
        Assert.True(DeviceFactAttribute.MakeNull(device));

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", device);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("character special file", FileType(device));
        Assert.Equal(["null"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ARegularFileIsReplacedWholeLeavingNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        string input = Points();
        string output = dir.File("predictions.csv");
        File.WriteAllText(output, new string('x', 100_000));

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Expected(input), File.ReadAllText(output));
        Assert.Equal(["predictions.csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>
    /// A binary classifier with one logit (binary cross-entropy, as a PyTorch model imported from ONNX has): predict gives
    /// the sigmoid of the logit as the second class's probability, as the ONNX export does, not a softmax over one column.
    /// </summary>
    [Fact]
    public void AOneLogitBinaryClassifierPredictsTheSigmoidOfItsLogit()
    {
        using var dir = new TempDirectory();
        var architecture = Architecture.Mlp(2, [4], 1, "tanh", "binary-cross-entropy", ["no", "yes"]);
        var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(5));
        string modelPath = dir.File("binary.safetensors"), points = dir.File("points.csv");
        ModelFile.Save(modelPath, model, architecture);
        float[] values = [0.5f, -1f, -2f, 0.25f, 1.5f, 1.5f];
        File.WriteAllLines(points, ["x1,x2", "0.5,-1", "-2,0.25", "1.5,1.5"]);

        var run = Runner.Run("predict", "--model", modelPath, "--input", points);

        Assert.True(run.ExitCode == 0, run.ToString());
        var logits = model.Forward(new Matrix<float>(3, 2, values), training: false);
        var expected = Enumerable.Range(0, 3).Select(r => 1 / (1 + MathF.Exp(-logits[r, 0])))
            .Select(p => $"{(p > 0.5f ? "yes" : "no")},{p.ToString("0.000000", CultureInfo.InvariantCulture)}");
        Assert.Equal(["predicted,p_yes", .. expected], run.Out.TrimEnd('\n').Split('\n'));
    }

    /// <summary>
    /// The issue's wide model: a million ReLU units between 2 inputs and 2 classes (20 MB of weights, 8 MB of layer outputs per
    /// row). Run on 300 rows at once it allocated 2.4 GB; in bounded batches it must stay under 640 MB (loading the model takes about 100 MB of that), and give the numbers
    /// that forwarding 16 rows at a time gives (which InferenceBatchTests shows equal one batch of all rows).
    /// </summary>
    [Fact]
    public void EvaluateAndPredictRunAWideModelInBoundedBatchesWithTheSameNumbers()
    {
        using var dir = new TempDirectory();
        var architecture = Architecture.Mlp(2, [1_000_000], 2, "relu", "cross-entropy", ["0", "1"]);
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(3));
        string modelPath = dir.File("wide.safetensors");
        ModelFile.Save(modelPath, model, architecture);
        var data = Synthetic.Moons<float>(300, 0.2, seed: 8);
        string labelled = dir.File("moons.csv"), features = dir.File("points.csv");
        File.WriteAllLines(labelled, ["x1,x2,label", .. Enumerable.Range(0, data.Count).Select(i => Row(data, i) + "," + data.ClassNames![data.Labels![i]])]);
        File.WriteAllLines(features, ["x1,x2", .. Enumerable.Range(0, data.Count).Select(i => Row(data, i))]);

        long start = GC.GetAllocatedBytesForCurrentThread();
        var predict = Runner.Run("predict", "--model", modelPath, "--input", features);
        long predictBytes = GC.GetAllocatedBytesForCurrentThread() - start;
        start = GC.GetAllocatedBytesForCurrentThread();
        var evaluate = Runner.Run("evaluate", "--model", modelPath, "--data", labelled, "--json");
        long evaluateBytes = GC.GetAllocatedBytesForCurrentThread() - start;

        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        Assert.True(predictBytes < 640L << 20, $"predict allocated {predictBytes:N0} bytes");
        Assert.True(evaluateBytes < 640L << 20, $"evaluate allocated {evaluateBytes:N0} bytes");

        // The same numbers as 16 rows at a time.
        var expected = new List<string>();
        for (int first = 0; first < data.Count; first += 16)
        {
            int rows = Math.Min(16, data.Count - first);
            var x = new Matrix<float>(rows, 2, data.Features.Span.Slice(first * 2, rows * 2).ToArray());
            var outputs = model.Forward(x, training: false);
            RowSoftmax.Forward<float>(outputs.Span, outputs.Span, 2);
            var predicted = Metrics.ArgMaxRows(outputs);
            for (int r = 0; r < rows; r++)
                expected.Add(string.Join(',', predicted[r].ToString(CultureInfo.InvariantCulture),
                    outputs[r, 0].ToString("0.000000", CultureInfo.InvariantCulture), outputs[r, 1].ToString("0.000000", CultureInfo.InvariantCulture)));
        }
        Assert.Equal(["predicted,p_0,p_1", .. expected], predict.Out.TrimEnd('\n').Split('\n'));
        using var json = System.Text.Json.JsonDocument.Parse(evaluate.Out);
        int correct = expected.Where((line, i) => line.Split(',')[0] == data.ClassNames![data.Labels![i]]).Count();
        Assert.Equal(correct, json.RootElement.GetProperty("correct").GetInt32());
    }

    private static string Row(Dataset<float> data, int i) =>
        string.Create(CultureInfo.InvariantCulture, $"{data.Features[i, 0]:R},{data.Features[i, 1]:R}");
}

/// <summary>A fact that makes a character device with mknod (root): skipped, saying why, where this process cannot.</summary>
public sealed class DeviceFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Possible = new(() =>
    {
        using var dir = new TempDirectory();
        return MakeNull(dir.File("null"));
    });

    public DeviceFactAttribute()
    {
        if (!Possible.Value)
            Skip = "Needs mknod (root) to make a private character device; this process cannot.";
    }

    /// <summary>Makes a character device 1,3 (what /dev/null is) at <paramref name="path"/>; true when it worked.</summary>
    public static bool MakeNull(string path)
    {
        try
        {
            using var mknod = Process.Start(new ProcessStartInfo("mknod", [path, "c", "1", "3"]) { RedirectStandardError = true, UseShellExecute = false })!;
            mknod.WaitForExit();
            return mknod.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
