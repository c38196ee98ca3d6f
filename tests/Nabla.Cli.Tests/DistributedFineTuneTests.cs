using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>
/// docs/scaling.md's path to training beyond one machine: a Nabla model goes to PyTorch (tools/to_torch.py), is
/// fine-tuned with DistributedDataParallel on two processes over loopback (examples/ddp), comes back as a model
/// file, and <c>nabla evaluate</c> scores it exactly as PyTorch did.
/// </summary>
public class DistributedFineTuneTests
{
    [TorchFact]
    public void ADdpFineTunedModelEvaluatesInNablaAsInPyTorch()
    {
        using var dir = new TempDirectory();
        var trained = Runner.Run("train", "--data", "iris", "--layers", "16", "--activation", "relu", "--loss", "cross-entropy",
            "--optimizer", "adam", "--learning-rate", "0.01", "--batch-size", "16", "--epochs", "30", "--scale", "standard", "--out", dir.Path);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        string root = RepositoryRoot();
        string tuned = dir.File("finetuned.safetensors");

        var start = new ProcessStartInfo(TorchFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[Path.Combine(root, "examples", "ddp", "finetune_ddp.py"), "--model", dir.File("model.safetensors"),
            "--data", Path.Combine(root, "src", "Nabla", "Data", "Builtin", "iris.csv"), "--out", tuned, "--epochs", "10",
            "--port", (29600 + Environment.ProcessId % 300).ToString(CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(arg);
        using var python = Process.Start(start)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        Assert.True(python.WaitForExit(120_000), "the DDP example did not finish in 120 s");
        Assert.True(python.ExitCode == 0, $"exit {python.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        Assert.Contains("2 processes, 150 rows", stdout.Result);
        double torchAccuracy = double.Parse(Regex.Match(stdout.Result, @"accuracy after 10 epochs: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);

        var evaluated = Runner.Run("evaluate", "--model", tuned, "--data", "iris", "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        double nablaAccuracy = double.Parse(Regex.Match(evaluated.Out, "\"accuracy\": ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(torchAccuracy, nablaAccuracy, 4);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"No Nabla.slnx above {AppContext.BaseDirectory}.");
    }
}
