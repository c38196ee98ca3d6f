using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>What a model remembers of its data: the pixel scale, the rows it held out, the target's scaling and the text columns' categories.</summary>
public class ModelMemoryTests
{
    [Fact]
    public void PredictOnRawPixelsMatchesEvaluatesAccuracyOnTheImageFiles()
    {
        using var dir = new TempDirectory();
        var (testPixels, testLabels) = WriteImages(dir.File("images"));
        var train = Runner.Run("train", "--data", dir.File("images"), "--layers", "8", "--activation", "relu", "--loss", "cross-entropy",
            "--optimizer", "adam", "--learning-rate", "0.01", "--batch-size", "20", "--epochs", "3", "--out", dir.File("run"));
        Assert.True(train.ExitCode == 0, train.ToString());
        var (_, architecture) = ModelFile.Load<float>(dir.File("run/model.safetensors"));
        Assert.Equal(255, architecture.PixelScale);

        var evaluate = Runner.Run("evaluate", "--model", dir.File("run/model.safetensors"), "--data", dir.File("images"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        double accuracy = JsonDocument.Parse(evaluate.Out).RootElement.GetProperty("accuracy").GetDouble();

        // The test images as a CSV of raw 0–255 pixels, as a user would export them.
        var csv = new StringBuilder(string.Join(',', Enumerable.Range(0, 16).Select(i => $"pixel{i}")) + "\n");
        foreach (var image in testPixels)
            csv.Append(string.Join(',', image)).Append('\n');
        File.WriteAllText(dir.File("raw.csv"), csv.ToString());
        var predict = Runner.Run("predict", "--model", dir.File("run/model.safetensors"), "--input", dir.File("raw.csv"));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var predicted = predict.Out.TrimEnd().Split('\n').Skip(1).Select(l => l.Split(',')[0]).ToList();

        double fromPredict = (double)predicted.Where((p, i) => p == testLabels[i].ToString(CultureInfo.InvariantCulture)).Count() / predicted.Count;
        Assert.Equal(accuracy, fromPredict);
        Assert.InRange(accuracy, 0.8, 1.0); // the model learnt something, so the comparison means something
        Assert.All(predict.Out.TrimEnd().Split('\n').Skip(1), l => Assert.Matches(@"^\d(,\d\.\d{6}){10}$", l));
    }

    [Fact]
    public void EvaluateScoresTheRowsTheModelHeldOutAndEverySplitOnRequest()
    {
        using var dir = new TempDirectory();
        var train = Runner.Run("train", "--data", "iris", "--layers", "8", "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.01",
            "--batch-size", "16", "--epochs", "40", "--scale", "standard", "--test", "0.2", "--validation", "0.1", "--out", dir.Path);
        Assert.True(train.ExitCode == 0, train.ToString());
        string model = dir.File("model.safetensors");

        var byDefault = Runner.Run("evaluate", "--model", model, "--data", "iris");
        Assert.Contains("test split: 30 of 150 rows held out with seed 0", byDefault.Out);
        Assert.Contains(TrainTests.TestAccuracy().Match(train.Out).Groups[2].Value + " of 30 correct", byDefault.Out);
        Assert.Contains("validation split: 12 of 150 rows", Runner.Run("evaluate", "--model", model, "--data", "iris", "--split", "validation").Out);
        Assert.Contains("train split: the 108 of 150 rows not held out", Runner.Run("evaluate", "--model", model, "--data", "iris", "--split", "train").Out);
        Assert.Contains("all 150 rows", Runner.Run("evaluate", "--model", model, "--data", "iris", "--split", "all").Out);

        // Other data: every row by default, and no held-out split can be found in it.
        string fewIris = dir.File("few.csv");
        File.WriteAllText(fewIris, "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n6.3,3.3,6.0,2.5,virginica\n");
        Assert.Contains("all 2 rows (not the data the model was trained on", Runner.Run("evaluate", "--model", model, "--data", fewIris).Out);
        var refused = Runner.Run("evaluate", "--model", model, "--data", fewIris, "--split", "test");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not the data the model was trained on (150 rows, SHA-256", refused.Err);
    }

    [Fact]
    public void ASplitTheModelDidNotHoldOutIsAUsageError()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Runner.Run("train", "--data", "iris", "--epochs", "2", "--validation", "0", "--out", dir.Path).ExitCode);

        var run = Runner.Run("evaluate", "--model", dir.File("model.safetensors"), "--data", "iris", "--split", "validation");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--split validation: the model held no validation rows out of its data; it held out test rows.", run.Err);
    }

    [Fact]
    public void RegressionReportsRSquaredMaeAndRmseAndPredictsInTheTargetsUnits()
    {
        using var dir = new TempDirectory();
        var csv = new StringBuilder("x1,x2,price\n");
        var rng = new Random(3);
        for (int i = 0; i < 300; i++)
        {
            double a = rng.NextDouble(), b = rng.NextDouble();
            csv.Append(CultureInfo.InvariantCulture, $"{a:0.####},{b:0.####},{5000 + 3000 * a - 1000 * b:0.##}\n");
        }
        File.WriteAllText(dir.File("prices.csv"), csv.ToString());

        var train = Runner.Run("train", "--data", dir.File("prices.csv"), "--task", "regression", "--layers", "16", "--activation", "relu", "--optimizer", "adam",
            "--learning-rate", "0.01", "--batch-size", "32", "--epochs", "60", "--scale", "standard", "--test", "0.2", "--out", dir.File("run"));
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Matches(@"features, 1 target\r?\n", train.Out);
        Assert.Contains("│ R²", train.Out);
        Assert.Matches(@"Test R²: 0\.9\d+ \(MAE \d+(\.\d+)?, RMSE \d+(\.\d+)?, in the target's units\)", train.Out);
        Assert.Contains("test RMSE", File.ReadAllText(dir.File("run/report.html")));

        var evaluate = Runner.Run("evaluate", "--model", dir.File("run/model.safetensors"), "--data", dir.File("prices.csv"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        var json = JsonDocument.Parse(evaluate.Out).RootElement;
        Assert.True(json.GetProperty("r2").GetDouble() > 0.9, evaluate.Out);
        Assert.InRange(json.GetProperty("mae").GetDouble(), 0, 300);

        File.WriteAllText(dir.File("new.csv"), "x1,x2\n0.5,0.5\n");
        var predict = Runner.Run("predict", "--model", dir.File("run/model.safetensors"), "--input", dir.File("new.csv"));
        var lines = predict.Out.TrimEnd().Split('\n');
        Assert.Equal("price", lines[0]);
        Assert.InRange(double.Parse(lines[1], CultureInfo.InvariantCulture), 6000 - 300, 6000 + 300); // 5000 + 3000·0.5 − 1000·0.5
    }

    [Fact]
    public void TextColumnsAreOneHotEncodedAndAnUnseenCategoryIsAnInputErrorAtPredictTime()
    {
        using var dir = new TempDirectory();
        var csv = new StringBuilder("id;colour;size;label\n");
        for (int i = 0; i < 120; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i};{(i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue")};{i % 7};{(i % 3 == 0 ? "hot" : "cold")}\n");
        File.WriteAllText(dir.File("things.csv"), csv.ToString());

        var train = Runner.Run("train", "--data", dir.File("things.csv"), "--delimiter", ";", "--drop", "id", "--layers", "4", "--loss", "cross-entropy",
            "--optimizer", "adam", "--learning-rate", "0.05", "--epochs", "40", "--batch-size", "16", "--out", dir.Path);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("4 features", train.Out); // colour's three categories and size
        Assert.Contains("colour (3 categories: blue, green, red)", train.Out);

        File.WriteAllText(dir.File("in.csv"), "size;colour\n2;red\n3;blue\n");
        var predict = Runner.Run("predict", "--model", dir.File("model.safetensors"), "--input", dir.File("in.csv"), "--delimiter", ";");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        Assert.StartsWith("hot,", predict.Out.Split('\n')[1]);
        Assert.StartsWith("cold,", predict.Out.Split('\n')[2]);

        File.WriteAllText(dir.File("pink.csv"), "size;colour\n2;pink\n");
        var unseen = Runner.Run("predict", "--model", dir.File("model.safetensors"), "--input", dir.File("pink.csv"), "--delimiter", ";");
        Assert.Equal(3, unseen.ExitCode);
        Assert.Contains("line 2, column 2 ('colour'): expected one of the categories the model knows for 'colour' ('blue', 'green', 'red'); received 'pink'.", unseen.Err);
    }

    /// <summary>An IDX dataset of 4x4 images in two classes (bright top rows or bright bottom rows, noisy); returns the test images and labels.</summary>
    internal static (List<byte[]> Pixels, List<int> Labels) WriteImages(string directory)
    {
        Directory.CreateDirectory(directory);
        var rng = new Random(5);
        List<byte[]> testPixels = [];
        List<int> testLabels = [];
        foreach (var (prefix, count) in new[] { ("train", 200), ("t10k", 100) })
        {
            var images = new List<byte[]>();
            var labels = new List<int>();
            for (int n = 0; n < count; n++)
            {
                int label = n % 2;
                images.Add([.. Enumerable.Range(0, 16).Select(p => (byte)Math.Clamp((p < 8 == (label == 0) ? 180 : 60) + rng.Next(-60, 60), 0, 255))]);
                labels.Add(label);
            }
            var imageFile = new byte[16 + 16 * count];
            BinaryPrimitives.WriteUInt32BigEndian(imageFile, 0x803);
            BinaryPrimitives.WriteInt32BigEndian(imageFile.AsSpan(4), count);
            BinaryPrimitives.WriteInt32BigEndian(imageFile.AsSpan(8), 4);
            BinaryPrimitives.WriteInt32BigEndian(imageFile.AsSpan(12), 4);
            for (int n = 0; n < count; n++)
                images[n].CopyTo(imageFile, 16 + 16 * n);
            var labelFile = new byte[8 + count];
            BinaryPrimitives.WriteUInt32BigEndian(labelFile, 0x801);
            BinaryPrimitives.WriteInt32BigEndian(labelFile.AsSpan(4), count);
            for (int n = 0; n < count; n++)
                labelFile[8 + n] = (byte)labels[n];
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), imageFile);
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), labelFile);
            if (prefix == "t10k")
                (testPixels, testLabels) = (images, labels);
        }
        return (testPixels, testLabels);
    }
}
