using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nabla.Cli.Tests;

/// <summary>The round trip on a CSV dataset with named classes and stored input scaling (the built-in iris).</summary>
public partial class CsvDataTests
{
    [GeneratedRegex(@"Train accuracy: (\d\.\d{4}) \((\d+) of 150 correct\)")]
    private static partial Regex TrainAccuracy();

    [Fact]
    public void IrisTrainEvaluatePredictWithStandardScaling()
    {
        using var dir = new TempDirectory();
        var train = Runner.Run("train", "--data", "iris", "--layers", "8", "--loss", "cross-entropy", "--optimizer", "adam",
            "--learning-rate", "0.05", "--epochs", "60", "--batch-size", "16", "--scale", "standard", "--out", dir.Path);
        Assert.True(train.ExitCode == 0, train.ToString());
        var reported = TrainAccuracy().Match(train.Out);
        Assert.True(reported.Success, train.ToString());
        Assert.True(double.Parse(reported.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0.9, train.Out);

        var evaluate = Runner.Run("evaluate", "--model", dir.File("model.safetensors"), "--data", "iris", "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        using (var doc = JsonDocument.Parse(evaluate.Out))
        {
            Assert.Equal(int.Parse(reported.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), doc.RootElement.GetProperty("correct").GetInt32());
            Assert.Equal(["setosa", "versicolor", "virginica"], doc.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()!));
        }

        // Raw (unscaled) measurements: the model applies the scaling it stored.
        string input = dir.File("flowers.csv");
        File.WriteAllText(input, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n");
        var predict = Runner.Run("predict", "--model", dir.File("model.safetensors"), "--input", input);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var lines = predict.Out.TrimEnd().Split('\n');
        Assert.Equal("predicted,p_setosa,p_versicolor,p_virginica", lines[0]);
        Assert.StartsWith("setosa,", lines[1]);
        Assert.StartsWith("virginica,", lines[2]);
    }

    [Fact]
    public void AMissingDataFileIsAnInputError()
    {
        var run = Runner.Run("train", "--data", "/nonexistent/flowers.csv");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("/nonexistent/flowers.csv: file not found", run.Err);
    }

    [Fact]
    public void GradcheckRunsOnOtherDatasets()
    {
        var run = Runner.Run("gradcheck", "--data", "moons", "--layers", "3", "--activation", "tanh", "--loss", "cross-entropy", "--samples", "20");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("20 samples of moons", run.Out);
    }
}
