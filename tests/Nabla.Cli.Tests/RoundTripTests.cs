using System.Globalization;
using System.Text.Json;

namespace Nabla.Cli.Tests;

public class RoundTripTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    [Fact]
    public void TrainWritesTheModelAndTheHistory()
    {
        Assert.Contains($"Wrote {trained.ModelPath}", trained.Train.Out);
        var history = File.ReadAllLines(trained.File("history.csv"));
        Assert.Equal("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds", history[0]);
        Assert.Equal("1", history[1].Split(',')[0]);
        Assert.Empty(Directory.GetFiles(trained.Directory, "*.tmp-*"));
    }

    [Fact]
    public void EvaluateGivesTheAccuracyTrainingReportedOnTheSameData()
    {
        var reported = TrainTests.TestAccuracy().Match(trained.Train.Out);
        Assert.True(reported.Success, trained.Train.ToString());

        var text = Runner.Run("evaluate", "--model", trained.ModelPath, "--data", "gaussians");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains($"accuracy: {reported.Groups[1].Value} ({reported.Groups[2].Value} of 10000 correct)", text.Out);
        Assert.Contains("Confusion matrix", text.Out);
        Assert.Contains("precision", text.Out);

        var json = Runner.Run("evaluate", "--model", trained.ModelPath, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.Equal(int.Parse(reported.Groups[2].Value, CultureInfo.InvariantCulture), root.GetProperty("correct").GetInt32());
        Assert.Equal(10000, root.GetProperty("samples").GetInt32());
        var confusion = root.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(10000, confusion.Sum(r => r.Sum()));
        Assert.Equal(root.GetProperty("correct").GetInt32(), confusion[0][0] + confusion[1][1]);
        Assert.Equal(2, root.GetProperty("per_class").GetArrayLength());
        Assert.Equal(["0", "1"], root.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void PredictWritesOneRowPerSampleWithTheClassAndItsProbabilities()
    {
        string input = trained.File("points.csv");
        File.WriteAllText(input, "x1,x2\n1.0,1.0\n2.0,2.0\n0.2,0.4\n");
        string output = trained.File("predictions.csv");

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input, "--output", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = File.ReadAllLines(output);
        Assert.Equal("predicted,p_0,p_1", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(["0", "1", "0"], lines.Skip(1).Select(l => l.Split(',')[0]));
        foreach (var line in lines.Skip(1))
        {
            var p = line.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 5);
            Assert.Equal(line.Split(',')[0] == "0", p[0] > p[1]);
        }

        var stdout = Runner.Run("predict", "--model", trained.ModelPath, "--input", input);
        Assert.Equal(File.ReadAllText(output), stdout.Out);
        File.Delete(output);
    }

    [Fact]
    public void PredictRejectsInputWithTheWrongNumberOfFeatures()
    {
        string input = trained.File("three.csv");
        File.WriteAllText(input, "1,2,3\n");

        var run = Runner.Run("predict", "--model", trained.ModelPath, "--input", input);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains(input, run.Err);
        Assert.Contains("expected 2 features", run.Err);
        File.Delete(input);
    }

    [Fact]
    public void GradcheckPassesOnTheSavedModel()
    {
        var run = Runner.Run("gradcheck", "--model", trained.ModelPath, "--samples", "8");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var name in new[] { "0.weight", "0.bias", "2.weight", "2.bias", "input" })
            Assert.Contains(name, run.Out);
        Assert.Contains("All gradients match.", run.Out);
    }

    [Fact]
    public void TraceOfTheSavedModelGivesGradientsKeyedByTensorNameInTheModelFileLayout()
    {
        var run = Runner.Run("trace", "--model", trained.ModelPath, "--input", "1.2,0.8", "--target", "0", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal([1.2, 0.8], root.GetProperty("input").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(3, root.GetProperty("layers").GetArrayLength());
        var gradients = root.GetProperty("gradients");
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], gradients.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, gradients.GetProperty("0.weight").GetArrayLength());
        Assert.Equal(2, gradients.GetProperty("0.weight")[0].GetArrayLength());
        Assert.Equal(JsonValueKind.Number, gradients.GetProperty("0.bias")[0].ValueKind);
        Assert.True(root.GetProperty("loss").GetDouble() > 0);
    }
}
