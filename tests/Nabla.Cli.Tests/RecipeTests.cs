using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Runs;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>Data-aware defaults: <c>nabla train --data X</c> alone trains the library's <see cref="Recipe"/> for the data; every option given wins.</summary>
public class RecipeTests
{
    [Fact]
    public void DataAloneTrainsTheTabularRecipeSaysSoAndGivesTheLibrarysRecipeBitForBit()
    {
        using var dir = new TempDirectory();

        var run = Runner.Run("train", "--data", "iris", "--out", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("nabla uses its tabular recipe for 150 samples of 4 features and 3 classes (the columns share one spread (4.1x): not standardised; " +
            "120 training rows, fewer than 200: scikit-learn's full-batch training): --scale none --layers 100 --activation relu --init xavier-uniform-bias " +
            "--loss cross-entropy --optimizer adam --learning-rate 0.001 --weight-decay 8.333333333333333E-07 --batch-size full --epochs 200 --validation 0 --early-stopping 10 --min-delta 0.0001 " +
            "--test 0.2. Give any of these options to change its value", run.Out);
        Assert.Contains("Linear(4 => 100) -> ReLU -> Linear(100 => 3)", run.Out);
        Assert.True(double.Parse(TrainTests.TestAccuracy().Match(run.Out).Groups[1].Value, CultureInfo.InvariantCulture) >= 0.9, run.Out);
        // The CLI only delegates: the library's recipe, run with the same seed, learns the same weights.
        var train = new DatasetCatalog().Load<float>("iris");
        var library = new TrainingRun(Recipe.For(train, hasTestSet: false).Options(train)).Run();
        var (cli, architecture) = ModelFile.Load<float>(dir.File("model.safetensors"));
        Assert.Null(architecture.Scaling);
        Assert.Equal(library.Model.SnapshotParameters(), cli.SnapshotParameters());
    }

    [Fact]
    public void EveryOptionGivenWinsOverTheRecipeAndTheLineListsOnlyWhatTheRecipeChose()
    {
        var run = Runner.Run("train", "--data", "iris", "--scale", "minmax", "--learning-rate", "0.01", "--batch-size", "16", "--epochs", "7",
            "--validation", "0", "--early-stopping", "0", "--test", "0.3", "--dropout", "0.1");

        Assert.True(run.ExitCode == 0, run.ToString());
        string line = run.Out.Split('\n').Single(l => l.Contains("tabular recipe", StringComparison.Ordinal));
        // 105 training rows after the user's --test 0.3; the recipe's --min-delta goes with the early stopping the user turned off.
        Assert.Contains("105 training rows, fewer than 200", line);
        Assert.Contains(": --layers 100 --activation relu --init xavier-uniform-bias --loss cross-entropy --optimizer adam --weight-decay 9.523809523809525E-07. Give", line);
        Assert.Contains("Linear(4 => 100) -> ReLU -> Dropout(p=0.1) -> Linear(100 => 3)", run.Out);
        Assert.Contains("adam learning rate 0.01, batches of 16, 7 epochs", run.Out);
        Assert.DoesNotContain("held out for validation", run.Out);
        Assert.Equal(7, run.Out.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Equal("45", TrainTests.TestAccuracy().Match(run.Out).Groups[3].Value);
    }

    [Theory]
    [InlineData("--layers", "8")]
    [InlineData("--activation", "relu")]
    [InlineData("--loss", "cross-entropy")]
    [InlineData("--optimizer", "sgd")]
    [InlineData("--init", "xavier")]
    [InlineData("--init", "xavier-uniform-bias")]
    public void AnOptionThatShapesTheModelTurnsTheRecipeOff(string option, string value)
    {
        var run = Runner.Run("train", "--data", "iris", option, value, "--epochs", "2");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("recipe", run.Out);
        Assert.Contains("full batch", run.Out);
        Assert.DoesNotContain("held out", run.Out);
    }

    [Fact]
    public void AConfigFilesOptionsWinOverTheRecipeAndTheCommandLineOverBoth()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("train.yaml"), "data: iris\nepochs: 3\nbatch-size: 10\nvalidation: 0.2\nearly-stopping: 0\n");

        var run = Runner.Run("train", "--config", dir.File("train.yaml"), "--epochs", "4");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(": --scale none --layers 100 --activation relu --init xavier-uniform-bias --loss cross-entropy --optimizer adam --learning-rate 0.001 " +
            "--weight-decay 8.333333333333333E-07 --test 0.2. Give", run.Out);
        Assert.Contains("batches of 10, 4 epochs", run.Out);
        Assert.Contains("24 held out for validation", run.Out);
    }

    [Fact]
    public void ImagesAloneTrainTheImageRecipeKeepTheirPixelScaleAndPredictOnRawPixelsAgreesWithEvaluate()
    {
        using var dir = new TempDirectory();
        var (testPixels, testLabels) = ModelMemoryTests.WriteImages(dir.File("images"));

        var train = Runner.Run("train", "--data", dir.File("images"), "--out", dir.File("run"));

        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("images recipe for 200 samples of 16 features", train.Out);
        Assert.Contains("classes: --layers 256,128 --activation relu --dropout 0.2 --init he --loss cross-entropy " +
            "--optimizer adamw --learning-rate 0.001 --weight-decay 0.0001 --lr-schedule cosine --batch-size 128 --epochs 15 --validation 0.1.", train.Out);
        var (_, architecture) = ModelFile.Load<float>(dir.File("run/model.safetensors"));
        Assert.Equal(255, architecture.PixelScale);
        var evaluate = Runner.Run("evaluate", "--model", dir.File("run/model.safetensors"), "--data", dir.File("images"), "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.ToString());
        double accuracy = JsonDocument.Parse(evaluate.Out).RootElement.GetProperty("accuracy").GetDouble();
        File.WriteAllLines(dir.File("raw.csv"), [string.Join(',', Enumerable.Range(0, 16).Select(i => $"pixel{i}")), .. testPixels.Select(p => string.Join(',', p))]);
        var predict = Runner.Run("predict", "--model", dir.File("run/model.safetensors"), "--input", dir.File("raw.csv"));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        var predicted = predict.Out.TrimEnd().Split('\n').Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(accuracy, (double)predicted.Where((p, i) => p == testLabels[i]).Count() / predicted.Count);
        Assert.InRange(accuracy, 0.8, 1.0);
    }

    [Fact]
    public void AResumedRecipeRunKeepsTheRecipesSettingsWithoutChoosingAgain()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Runner.Run("train", "--data", "iris", "--epochs", "4", "--checkpoint-every", "2", "--early-stopping", "0", "--out", dir.Path).ExitCode);

        var resumed = Runner.Run("train", "--resume", dir.Path, "--epochs", "6");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.DoesNotContain("recipe", resumed.Out);
        Assert.Contains("Linear(4 => 100) -> ReLU -> Linear(100 => 3)", resumed.Out);
        Assert.Contains("full batch", resumed.Out);
    }

    [Fact]
    public void TheRecipeDecidesFromTheRowsLeftAfterTheUsersTestHoldOutAndItsEarlyStoppingWatchesTheTrainingLoss()
    {
        using var dir = new TempDirectory();
        // 240 rows in mixed units: the recipe's test fifth leaves 192, fewer than 200; without it all 240 train.
        File.WriteAllLines(dir.File("units.csv"), ["grams,metres,class", .. Enumerable.Range(0, 240).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{1000 * (i % 7) + 5 * (i % 3)},{0.01 * (i % 5)},{(char)('a' + i % 2)}"))]);

        var held = Runner.Run("train", "--data", dir.File("units.csv"), "--label", "class", "--epochs", "3");
        var all = Runner.Run("train", "--data", dir.File("units.csv"), "--label", "class", "--epochs", "3", "--test", "0");

        Assert.True(held.ExitCode == 0, held.ToString());
        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("x: standardised; 192 training rows, fewer than 200: scikit-learn's full-batch training): --scale standard --layers 100 --activation relu " +
            "--init xavier-uniform-bias --loss cross-entropy --optimizer adam --learning-rate 0.001 --weight-decay 5.208333333333334E-07 --batch-size full --validation 0 --early-stopping 10 --min-delta 0.0001 --test 0.2. Give", held.Out);
        Assert.Contains("full batch, 3 epochs", held.Out);
        Assert.DoesNotContain("held out for validation", held.Out);
        Assert.Contains("x: standardised; 240 training rows: mini-batches with a validation split): --scale standard --layers 100 --activation relu --init he " +
            "--loss cross-entropy --optimizer adam --learning-rate 0.001 --batch-size 32 --validation 0.1 --early-stopping 20. Give", all.Out);
        Assert.Contains("batches of 32, 3 epochs", all.Out);
    }

    [Fact]
    public void ATablesRecipeGivenScalingAndBatchesKeepsTheRestOfItsSmallTableSettings()
    {
        var run = Runner.Run("train", "--data", "iris", "--scale", "standard", "--batch-size", "32", "--epochs", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        string line = run.Out.Split('\n').Single(l => l.Contains("tabular recipe", StringComparison.Ordinal));
        Assert.Contains(": --layers 100 --activation relu --init xavier-uniform-bias --loss cross-entropy --optimizer adam --learning-rate 0.001 " +
            "--weight-decay 8.333333333333333E-07 --validation 0 " +
            "--early-stopping 10 --min-delta 0.0001 --test 0.2. Give", line);
        Assert.Contains("batches of 32, 3 epochs", run.Out);
    }
}
