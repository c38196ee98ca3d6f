using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Runs;
using Nabla.Tensors;

namespace Nabla.Tests.Runs;

public class RecipeTests
{
    private static readonly Dataset<float> Iris = new DatasetCatalog().Load<float>("iris");

    /// <summary><paramref name="rows"/> rows of three classes whose columns have the standard deviations <paramref name="deviations"/> (0: constant).</summary>
    private static Dataset<float> Table(int rows, params double[] deviations)
    {
        // Each column alternates mean ± deviation (its standard deviation exactly, over an even number of rows), offset per row
        // parity so columns with equal deviations are not identical.
        var features = new Matrix<float>(rows, deviations.Length);
        for (int row = 0; row < rows; row++)
            for (int column = 0; column < deviations.Length; column++)
                features[row, column] = (float)(100 * column + ((row / 2 + column) % 2 == 0 ? deviations[column] : -deviations[column]));
        return new Dataset<float>(features, [.. Enumerable.Range(0, rows).Select(row => row % 3)], ["a", "b", "c"], "table");
    }

    [Fact]
    public void IrisSharesOneSpreadAndHas120TrainingRowsSoItTrainsUnscaledTheScikitLearnWayWithATestSetHeldOut()
    {
        var recipe = Recipe.For(Iris, hasTestSet: false);

        Assert.Equal("tabular", recipe.Kind);
        Assert.Equal(ScalingKind.None, recipe.Scaling);
        Assert.InRange(recipe.Spread!.Value, 4.0, 4.2); // petal length's 1.77 cm over sepal width's 0.43 cm
        Assert.Equal(120, recipe.TrainingRows);
        Assert.Equal([100], recipe.Hidden);
        Assert.Equal(("relu", "adam", "cross-entropy", "xavier-uniform-bias"), (recipe.Activation, recipe.Optimizer, recipe.Loss, recipe.Init));
        Assert.Equal(1e-4 / 120, recipe.WeightDecay); // scikit-learn's alpha over its full batch
        Assert.Null(recipe.BatchSize);
        Assert.Equal((200, 0.0, 10, 1e-4, 0.2), (recipe.Epochs, recipe.ValidationFraction, recipe.EarlyStoppingPatience, recipe.EarlyStoppingMinDelta, recipe.TestFraction));
        Assert.Equal("the columns share one spread (4.1x): not standardised; 120 training rows, fewer than 200: scikit-learn's full-batch training", recipe.Reason);
        Assert.Null(Recipe.For(Iris, hasTestSet: true).TestFraction);
        Assert.Equal(150, Recipe.For(Iris, hasTestSet: true).TrainingRows);
        Assert.Equal(105, Recipe.For(Iris, hasTestSet: false, seed: 0, testFraction: 0.3).TrainingRows);
        Assert.Equal(150, Recipe.For(Iris, hasTestSet: false, seed: 0, testFraction: 0).TrainingRows);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 5.0 }, 5.0, ScalingKind.None)] // one unit
    [InlineData(new[] { 1.0, 10.0 }, 10.0, ScalingKind.None)] // tenfold exactly is not more than tenfold
    [InlineData(new[] { 0.01, 1.0, 1000.0 }, 100_000.0, ScalingKind.Standard)] // mixed units
    [InlineData(new[] { 1.0, 0.0, 3.0 }, 3.0, ScalingKind.None)] // a constant column has no spread to compare
    [InlineData(new[] { 0.001, 0.0 }, 1.0, ScalingKind.None)] // one column varies: nothing to compare it with
    [InlineData(new[] { 7.0 }, 1.0, ScalingKind.None)] // a single column
    public void InputsAreStandardisedOnlyWhenTheNonConstantColumnsSpreadsDifferMoreThanTenfold(double[] deviations, double spread, ScalingKind scaling)
    {
        var recipe = Recipe.For(Table(60, deviations), hasTestSet: true);

        Assert.Equal(spread, recipe.Spread!.Value, 1e-4 * spread);
        Assert.Equal(scaling, recipe.Scaling);
    }

    [Fact]
    public void TheSpreadIsMeasuredOnTheTrainingRowsOnlyNeverOnTheTestRowsTheRunHoldsOut()
    {
        var table = Table(100, 1.0, 2.0);
        const ulong seed = 3;
        // The run's own test split, found through an identifying column, gets one wild value.
        var tagged = new Matrix<float>(100, 3);
        for (int row = 0; row < 100; row++)
            (tagged[row, 0], tagged[row, 1], tagged[row, 2]) = (table.Features[row, 0], table.Features[row, 1], row);
        var (_, _, test) = HeldOut.Of(table.WithFeatures(tagged), seed, null, Recipe.DefaultTestFraction).Apply(table.WithFeatures(tagged));
        int testRow = (int)test!.Features[0, 2];
        var features = table.Features.Clone();
        features[testRow, 1] = 10_000;
        var wild = table.WithFeatures(features);

        var recipe = Recipe.For(wild, hasTestSet: false, seed);
        var run = new TrainingRun(recipe.Options(wild) with { Epochs = 1, Seed = seed });

        Assert.Equal(ScalingKind.None, recipe.Scaling);
        Assert.Equal(2.0, recipe.Spread!.Value, 1e-6);
        Assert.Equal(ScalingKind.Standard, Recipe.For(wild, hasTestSet: true).Scaling); // the same row among the training rows
        Assert.Equal(recipe.TrainingRows, run.Train.Count); // the rows the run trains on (no validation split below 200)
        Assert.DoesNotContain(10_000f, run.Train.Features.Span.ToArray());
        Assert.Contains(10_000f, run.Test!.Features.Span.ToArray());
    }

    [Theory]
    [InlineData(199, true, null)]
    [InlineData(200, true, 32)]
    [InlineData(249, false, null)] // 199 training rows after the test fifth
    [InlineData(250, false, 32)] // 200
    public void BelowTwoHundredTrainingRowsATableTrainsOnFullBatchesWithoutAValidationSplit(int rows, bool hasTestSet, int? batch)
    {
        var recipe = Recipe.For(Table(rows, 1.0, 2.0), hasTestSet);

        Assert.Equal(batch is null ? 199 : 200, recipe.TrainingRows);
        Assert.Equal(batch, recipe.BatchSize);
        Assert.Equal(batch is null ? ("xavier-uniform-bias", 200, 0.0, 10) : ("he", 500, 0.1, 20), (recipe.Init, recipe.Epochs, recipe.ValidationFraction, recipe.EarlyStoppingPatience));
        Assert.Equal(batch is null ? 1e-4 / 199 : 0, recipe.WeightDecay);
        Assert.EndsWith(batch is null ? "199 training rows, fewer than 200: scikit-learn's full-batch training" : "200 training rows: mini-batches with a validation split", recipe.Reason);
    }

    [Fact]
    public void ATableOf200RowsOrMoreInMixedUnitsTrainsExactlyAsBeforeTheRuleBitForBit()
    {
        var table = Table(300, 0.5, 40.0, 3.0);

        var recipe = Recipe.For(table, hasTestSet: false);

        Assert.Equal(["--scale", "standard", "--layers", "100", "--activation", "relu", "--init", "he", "--loss", "cross-entropy", "--optimizer", "adam",
            "--learning-rate", "0.001", "--batch-size", "32", "--epochs", "500", "--validation", "0.1", "--early-stopping", "20", "--test", "0.2"], recipe.ToArguments());
        Assert.StartsWith("the columns' spreads differ 80x: standardised; 240 training rows", recipe.Reason);
        // The run the recipe gave before the rule, spelled out, learns the same weights.
        var before = new TrainingRunOptions
        {
            Train = table,
            TestFraction = 0.2,
            ValidationFraction = 0.1,
            Scaling = ScalingKind.Standard,
            Network = Architecture.Mlp(3, [100], 3, "relu", "cross-entropy", table.ClassNames, 0).Layers,
            Loss = "cross-entropy",
            Initializer = Initializers.ByName("he"),
            Optimizer = () => new Adam<float>(1e-3),
            Epochs = 3,
            BatchSize = 32,
            EarlyStoppingPatience = 20,
        };
        var now = new TrainingRun(recipe.Options(table) with { Epochs = 3 }).Run();
        Assert.Equal(new TrainingRun(before).Run().Model.SnapshotParameters(), now.Model.SnapshotParameters());
    }

    [Fact]
    public void ARegressionTargetGetsTheSquaredError()
    {
        var tiny = new Dataset<float>(Matrix<float>.FromRows([[1f], [2f], [3f], [4f], [5f], [6f], [7f], [8f]]), Matrix<float>.FromRows([[1f], [2f], [3f], [4f], [5f], [6f], [7f], [8f]]), "tiny");

        var recipe = Recipe.For(tiny, hasTestSet: false);

        Assert.Equal("mse", recipe.Loss);
        Assert.Equal(6, recipe.TrainingRows);
        Assert.Null(recipe.BatchSize);
    }

    [Fact]
    public void ImagesWhosePixelsWereScaledGetTheImageRecipeUnchangedAndKeepTheirScale()
    {
        var pixels = new Dataset<float>(Iris.Features, Iris.Labels!, Iris.ClassNames!, "pixels") { PixelScale = 255 };

        var recipe = Recipe.For(pixels, hasTestSet: true);

        Assert.Equal("images", recipe.Kind);
        Assert.Equal(ScalingKind.None, recipe.Scaling); // the loader's pixel scale is the input scaling; the model stores it
        Assert.Equal([256, 128], recipe.Hidden);
        Assert.Equal((0.2, "adamw", "cosine"), (recipe.Dropout, recipe.Optimizer, recipe.Schedule));
        Assert.Equal(["--layers", "256,128", "--activation", "relu", "--dropout", "0.2", "--init", "he", "--loss", "cross-entropy", "--optimizer", "adamw",
            "--learning-rate", "0.001", "--weight-decay", "0.0001", "--lr-schedule", "cosine", "--batch-size", "128", "--epochs", "15", "--validation", "0.1"], recipe.ToArguments());
        Assert.Null(recipe.Spread);
        Assert.Null(recipe.TrainingRows);
        Assert.Null(recipe.Reason);
        Assert.Equal(0, recipe.EarlyStoppingMinDelta);
        Assert.Null(recipe.TestFraction);
        Assert.Equal(0.2, Recipe.For(pixels, hasTestSet: false).TestFraction);
        Assert.Equal(255, new TrainingRun(recipe.Options(pixels) with { Epochs = 1 }).Architecture.PixelScale);
    }

    [Fact]
    public void TheArgumentsSpellEverySettingAndAChangedValueShowsInThem()
    {
        var recipe = Recipe.For(Iris, hasTestSet: false) with { Epochs = 50, Dropout = 0.1, BatchSize = 16, Scaling = ScalingKind.MinMax, WeightDecay = 0.001 };

        Assert.Equal(["--scale", "minmax", "--layers", "100", "--activation", "relu", "--dropout", "0.1", "--init", "xavier-uniform-bias", "--loss", "cross-entropy",
            "--optimizer", "adam", "--learning-rate", "0.001", "--weight-decay", "0.001", "--batch-size", "16", "--epochs", "50", "--validation", "0", "--early-stopping", "10",
            "--min-delta", "0.0001", "--test", "0.2"], recipe.ToArguments());
    }

    [Fact]
    public void TheOptionsDescribeTheRecipesRunAndAnOptimizerItDoesNotKnowIsRefused()
    {
        var options = Recipe.For(Iris, hasTestSet: false).Options(Iris);

        Assert.Null(options.ValidationFraction); // early stopping then watches the training loss
        Assert.Null(options.BatchSize);
        Assert.Equal((0.2, 200, 10, 1e-4), (options.TestFraction, options.Epochs, options.EarlyStoppingPatience, options.EarlyStoppingMinDelta));
        Assert.Equal(("xavier-uniform-bias", ScalingKind.None), (options.Initializer.Name, options.Scaling));
        Assert.Contains("received 'sgd'", Assert.Throws<ArgumentException>(() => (Recipe.For(Iris, hasTestSet: false) with { Optimizer = "sgd" }).Options(Iris)).Message);
    }
}
