using Nabla.Data;
using Nabla.Runs;
using Nabla.Tensors;

namespace Nabla.Tests.Runs;

public class RecipeTests
{
    private static readonly Dataset<float> Iris = new DatasetCatalog().Load<float>("iris");

    [Fact]
    public void TabularDataGetsStandardScalingAReluLayerAdamMiniBatchesAndEarlyStoppingWithATestSetHeldOutWhenItHasNone()
    {
        var recipe = Recipe.For(Iris, hasTestSet: false);

        Assert.Equal("tabular", recipe.Kind);
        Assert.Equal(ScalingKind.Standard, recipe.Scaling);
        Assert.Equal([100], recipe.Hidden);
        Assert.Equal(("relu", "adam", "cross-entropy"), (recipe.Activation, recipe.Optimizer, recipe.Loss));
        Assert.Equal(Recipe.TabularBatch, recipe.BatchSize);
        Assert.Equal((0.1, 20, 0.2), (recipe.ValidationFraction, recipe.EarlyStoppingPatience, recipe.TestFraction));
        Assert.Null(Recipe.For(Iris, hasTestSet: true).TestFraction);
    }

    [Fact]
    public void ATinyTableStillGetsFourBatchesAnEpochAndARegressionTargetTheSquaredError()
    {
        var tiny = new Dataset<float>(Matrix<float>.FromRows([[1f], [2f], [3f], [4f], [5f], [6f], [7f], [8f]]), Matrix<float>.FromRows([[1f], [2f], [3f], [4f], [5f], [6f], [7f], [8f]]), "tiny");

        var recipe = Recipe.For(tiny, hasTestSet: false);

        Assert.Equal(2, recipe.BatchSize);
        Assert.Equal("mse", recipe.Loss);
    }

    [Fact]
    public void ImagesWhosePixelsWereScaledGetTheImageRecipeAndKeepTheirScale()
    {
        var pixels = new Dataset<float>(Iris.Features, Iris.Labels!, Iris.ClassNames!, "pixels") { PixelScale = 255 };

        var recipe = Recipe.For(pixels, hasTestSet: true);

        Assert.Equal("images", recipe.Kind);
        Assert.Equal(ScalingKind.None, recipe.Scaling); // the loader's pixel scale is the input scaling; the model stores it
        Assert.Equal([256, 128], recipe.Hidden);
        Assert.Equal((0.2, "adamw", "cosine"), (recipe.Dropout, recipe.Optimizer, recipe.Schedule));
        Assert.Null(recipe.TestFraction);
        Assert.Equal(255, new TrainingRun(recipe.Options(pixels) with { Epochs = 1 }).Architecture.PixelScale);
    }

    [Fact]
    public void TheArgumentsSpellEverySettingAndAChangedValueShowsInThem()
    {
        var recipe = Recipe.For(Iris, hasTestSet: false) with { Epochs = 50, Dropout = 0.1 };

        Assert.Equal(["--scale", "standard", "--layers", "100", "--activation", "relu", "--dropout", "0.1", "--init", "he", "--loss", "cross-entropy",
            "--optimizer", "adam", "--learning-rate", "0.001", "--batch-size", "32", "--epochs", "50", "--validation", "0.1", "--early-stopping", "20", "--test", "0.2"],
            recipe.ToArguments());
    }

    [Fact]
    public void TheOptionsDescribeTheRecipesRunAndAnOptimizerItDoesNotKnowIsRefused()
    {
        var options = Recipe.For(Iris, hasTestSet: false).Options(Iris);

        Assert.Equal((0.2, 0.1, 32, 500, 20), (options.TestFraction, options.ValidationFraction, options.BatchSize, options.Epochs, options.EarlyStoppingPatience));
        Assert.Contains("received 'sgd'", Assert.Throws<ArgumentException>(() => (Recipe.For(Iris, hasTestSet: false) with { Optimizer = "sgd" }).Options(Iris)).Message);
    }
}
