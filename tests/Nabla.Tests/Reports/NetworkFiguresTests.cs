using Nabla.Data;
using Nabla.Init;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Tensors;
using Nabla.Tests.Models;
using Nabla.Tests.Plots;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Reports;

public class NetworkFiguresTests
{
    private static readonly string Cnn = "Conv2d(6, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(5, 3), Tanh, Flatten, Linear(3)";

    [Fact]
    public void TheFirstConvolutionsFiltersAreOneImageEach()
    {
        var architecture = CnnArchitectureTests.Network(Cnn, SampleShape.Image(1, 8, 8), classes: ["a", "b", "c"]);
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(1));

        var filters = NetworkFigures.Filters(model, architecture)!;

        Assert.Equal(6, SvgAssert.All(SvgAssert.Parse(filters), "image").Count);
        Assert.Equal("Filters of layer 0 (Conv2d(1, 6, 3, padding=1)): 6 of 6, 3×3", filters.Title);
        var mlp = CnnArchitectureTests.Network("Linear(4), Linear(3)", SampleShape.Features(5), classes: ["a", "b", "c"]);
        Assert.Null(NetworkFigures.Filters(mlp.Build<float>(GaussianInitializer.HeNormal, new Rng(1)), mlp));
    }

    [Fact]
    public void FeatureMapsShowTheInputThenEachConvolutionAfterItsActivation()
    {
        var architecture = CnnArchitectureTests.Network(Cnn, SampleShape.Image(1, 8, 8), classes: ["a", "b", "c"]);
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(1));
        var sample = TestData.Gaussian(1, 64, seed: 2).Convert<float>();

        var maps = NetworkFigures.FeatureMaps(model, architecture, sample.Span, "a sample")!;

        Assert.Equal(3, maps.Panels.Count);
        Assert.Equal(["The input, as the network sees it", "After layer 1 (ReLU): 6 of 6 maps, 8×8", "After layer 4 (Tanh): 5 of 5 maps, 2×2"],
            maps.Panels.Cast<ImageGrid>().Select(g => g.Title));
        Assert.Equal(1 + 6 + 5, SvgAssert.All(SvgAssert.Parse(maps), "image").Count);
    }

    [Fact]
    public void DistributionFiguresDrawAPanelPerTensorLayerByLayer()
    {
        var architecture = CnnArchitectureTests.Network(Cnn, SampleShape.Image(1, 8, 8), classes: ["a", "b", "c"]);
        var trainer = new Trainer<float>(architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(1)), architecture.CreateLoss<float>(), new Sgd<float>(0.1));
        var x = TestData.Gaussian(12, 64, seed: 3).Convert<float>();
        var data = new Dataset<float>(x, [.. Enumerable.Range(0, 12).Select(i => i % 3)], ["a", "b", "c"], "random") { SampleShape = SampleShape.Image(1, 8, 8) };
        var recorded = new LayerDistributions<float>(x, everySteps: 1);
        trainer.Fit(data, new TrainingOptions<float> { Epochs = 2, BatchSize = 4, Callbacks = [recorded] });

        var bands = DistributionFigures.OverTraining(recorded.Snapshots, byEpoch: false)!;
        var histograms = DistributionFigures.Histograms(recorded.Snapshots, byEpoch: false)!;

        Assert.Equal(["0.weight (weight)", "0.bias (bias)", "0 Conv2d (net input)", "1 ReLU (activation)", "3.weight (weight)", "3.bias (bias)", "3 Conv2d (net input)",
            "4 Tanh (activation)", "6.weight (weight)", "6.bias (bias)", "6 Linear (net input)"], bands.Panels.Cast<BandChart>().Select(c => c.Title));
        Assert.Contains("every 1 steps", bands.Title);
        Assert.Equal("Histograms of each layer's values at step 0, step 2, step 4, step 6", histograms.Title);
        Assert.Equal(11, histograms.Panels.Count);
        SvgAssert.Parse(bands);
        SvgAssert.Parse(histograms);
        Assert.Null(DistributionFigures.OverTraining(recorded.Snapshots.Take(1).ToList(), byEpoch: false));
    }
}
