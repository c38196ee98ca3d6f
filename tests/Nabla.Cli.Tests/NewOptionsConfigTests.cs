using System.Globalization;
using System.Text;

namespace Nabla.Cli.Tests;

/// <summary>The options issue 14 added, set from a YAML config file as docs/cli.md's examples set them.</summary>
public class NewOptionsConfigTests
{
    [Fact]
    public void TheOptimizerScheduleDropoutAndEarlyStoppingKeysTrainAsTheirFlagsDo()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("mlp.yaml"), "data: iris\nlayers: [16, 8]\nactivation: relu\ndropout: 0.2\ninit: he\nloss: cross-entropy\noptimizer: adamw\n" +
            "weight_decay: 0.0001\nlr_schedule: cosine\nwarmup: 1\nbatch_size: 16\nepochs: 4\nvalidation: 0.2\nearly_stopping: 5\nmonitor: val_accuracy\nmin_delta: 0.001\n");
        string[] flags = ["--data", "iris", "--layers", "16,8", "--activation", "relu", "--dropout", "0.2", "--init", "he", "--loss", "cross-entropy", "--optimizer", "adamw",
            "--weight-decay", "0.0001", "--lr-schedule", "cosine", "--warmup", "1", "--batch-size", "16", "--epochs", "4", "--validation", "0.2", "--early-stopping", "5",
            "--monitor", "val_accuracy", "--min-delta", "0.001"];

        var yaml = Runner.Run("train", "--config", dir.File("mlp.yaml"), "--out", dir.File("yaml"));
        var command = Runner.Run(["train", .. flags, "--out", dir.File("flags")]);

        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("Linear(4 => 16) -> ReLU -> Dropout(p=0.2) -> Linear(16 => 8) -> ReLU -> Dropout(p=0.2) -> Linear(8 => 3)", yaml.Out);
        Assert.Contains("adamw learning rate 0.2 (cosine after a 1-epoch warmup)", yaml.Out);
        Assert.Equal(File.ReadAllBytes(dir.File("flags/model.safetensors")), File.ReadAllBytes(dir.File("yaml/model.safetensors")));
        Assert.Equal(command.Out.Split('\n').Where(l => l.StartsWith("epoch", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf("  ", StringComparison.Ordinal)]),
            yaml.Out.Split('\n').Where(l => l.StartsWith("epoch", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf("  ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void TheCsvClassWeightAndInitFromKeysTrainAsTheirFlagsDo()
    {
        using var dir = new TempDirectory();
        var csv = new StringBuilder("id;name;age;plan;churned\n");
        var rng = new Random(7);
        for (int i = 0; i < 120; i++)
        {
            int age = rng.Next(18, 80);
            string plan = i % 3 == 0 ? "basic" : "premium";
            csv.Append(CultureInfo.InvariantCulture, $"{i};n{i};{age};{plan};{(age > 60 || plan == "basic" && rng.Next(4) == 0 ? "yes" : "no")}\n");
        }
        File.WriteAllText(dir.File("customers.csv"), csv.ToString());
        string[] shape = ["--layers", "8", "--activation", "relu", "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.01", "--epochs", "5"];
        Assert.Equal(0, Runner.Run(["train", "--data", dir.File("customers.csv"), "--delimiter", ";", "--label", "churned", "--drop", "id,name", .. shape, "--out", dir.File("first")]).ExitCode);
        File.WriteAllText(dir.File("customers.yaml"), $"data: {dir.File("customers.csv")}\ndelimiter: \";\"\nlabel: churned\ndrop: id,name\nclass_weight: balanced\nscale: standard\n" +
            $"test: 0.2\ninit_from: {dir.File("first/model.safetensors")}\n");

        var yaml = Runner.Run(["train", "--config", dir.File("customers.yaml"), .. shape, "--out", dir.File("yaml")]);
        var flags = Runner.Run(["train", "--data", dir.File("customers.csv"), "--delimiter", ";", "--label", "churned", "--drop", "id,name", "--class-weight", "balanced",
            "--scale", "standard", "--test", "0.2", "--init-from", dir.File("first/model.safetensors"), .. shape, "--out", dir.File("flags")]);

        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("3 features", yaml.Out); // age and plan one-hot encoded (basic, premium); id and name dropped
        Assert.Matches(@"│ test +│ 24 ", yaml.Out);
        Assert.Equal(File.ReadAllBytes(dir.File("flags/model.safetensors")), File.ReadAllBytes(dir.File("yaml/model.safetensors")));
    }
}
