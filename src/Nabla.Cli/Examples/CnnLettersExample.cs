using System.Globalization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Runs;
using Nabla.Training;
using static Nabla.Cli.Examples.Numbers;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example cnn-letters</c>, seed 002 part 2 on Fashion-MNIST (notMNIST is not available here): 3×3×32 convolution →
/// ReLU → batch norm → 2×2 max pooling → 784 ReLU → 10 softmax, Xavier weights, Adam 1e-4 on mini-batches of 32 reshuffled each
/// epoch, with training, validation and test curves; then L2 λ 0.01, 0.1, 0.5, and dropout after the 784 layer with keep
/// probability 0.9, 0.75, 0.5; last, the network again with a cosine learning-rate schedule over 15 epochs.
/// </summary>
internal static class CnnLettersExample
{
    /// <summary>Seed 002's CNN, as <c>--network</c> spells it.</summary>
    public const string Network = "Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10)";

    /// <summary>The same with dropout of probability <paramref name="p"/> after the 784 layer's ReLU.</summary>
    private static string WithDropout(double p) => Network.Replace("ReLU, Linear(10)", $"ReLU, Dropout({G(p)}), Linear(10)", StringComparison.Ordinal);

    /// <summary>Runs the example into <paramref name="session"/>.</summary>
    public static void Run(ExampleSession session)
    {
        bool quick = session.Quick;
        session.Heading("cnn-letters — seed 002 part 2 on Fashion-MNIST (notMNIST is not available here): conv 3×3×32 → ReLU → batch norm → max-pool 2×2 → 784 ReLU → 10 softmax, Adam 1e-4");
        var catalog = new DatasetCatalog();
        var all = catalog.Load<float>("fashion-mnist");
        var test = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
        if (quick)
        {
            all = all.Subset(Range(1500));
            test = test.Subset(Range(500));
        }
        var (train, validation) = Split.TrainValidation(all, quick ? 0.2 : 5000.0 / 60000, 2, stratified: true);
        // Early stopping watches the validation accuracy, the handout's measure, not the loss: in a first run the validation
        // loss was lowest within three epochs (the 784 layer's 4.9 M weights make the network overconfident early).
        int epochs = quick ? 2 : 50, sweepEpochs = quick ? 1 : 10, patience = 3, batch = 32;
        // The sweeps train on the first 15,000 training images (the letters-relu sweep's size): seven full runs would take most of a day here.
        var sweepTrain = train.Subset(Range(Math.Min(train.Count, quick ? 600 : 15_000)));
        const double rate = 1e-4;
        TrainingRunOptions Recipe(string network, double lambda, int maxEpochs, Dataset<float> trainOn) => new()
        {
            Train = trainOn,
            Validation = validation,
            Test = test,
            Network = NetworkSpelling.Parse(network),
            Loss = "cross-entropy",
            Initializer = UniformInitializer.XavierUniform,
            Optimizer = () => new Adam<float>(rate, weightDecay: lambda),
            Epochs = maxEpochs,
            BatchSize = batch,
            Seed = 2,
            EarlyStoppingPatience = patience,
            Monitor = MonitoredMetric.ValidationAccuracy,
            TestCurve = trainOn == train,
        };
        session.Line(string.Create(CultureInfo.InvariantCulture,
            $"`{Network}` on 1×28×28 images; Xavier-uniform weights (TensorFlow's default, as the handout's), zero biases; Adam with learning rate {rate}, mini-batches of {batch} reshuffled every epoch; " +
            $"{N(train.Count)} training images, {N(validation.Count)} held out for validation (stratified), the {N(test.Count)} test images. " +
            $"The handout asks for 50 epochs: the main run may take 50, and stops early when the validation accuracy has not improved for {patience} epochs, keeping the best epoch's weights " +
            $"(it watches the accuracy, the handout's measure, rather than the loss: in a first run the validation loss was lowest within three epochs, the 784 layer's 4.9 M weights making the network overconfident early). " +
            $"The regularisation sweeps train on the first {N(sweepTrain.Count)} of those training images for at most {sweepEpochs} epochs each, with the same stopping rule and validation images, " +
            $"and are tested on all test images at the end: seven full-size runs would take most of a day on this shared 2-core machine."));

        MainRun(session, Recipe(Network, 0, epochs, train) with { RecordDistributions = true }, test);
        var baseline = Row("none", session.Fit("sweep-baseline", Recipe(Network, 0, sweepEpochs, sweepTrain)));

        var l2 = new List<Sweep> { baseline };
        foreach (double lambda in new[] { 0.01, 0.1, 0.5 })
            l2.Add(Row($"λ = {G(lambda)}", session.Fit($"l2-{G(lambda)}", Recipe(Network, lambda, sweepEpochs, sweepTrain))));
        Summarise(session, "L2 weight decay (λ/2·ΣW² on the weights, not the biases or batch norm's scale and shift)", "l2", l2);

        var dropout = new List<Sweep> { baseline };
        foreach (double keep in new[] { 0.9, 0.75, 0.5 })
            dropout.Add(Row($"keep {G(keep)}", session.Fit($"dropout-keep-{G(keep)}", Recipe(WithDropout(1 - keep), 0, sweepEpochs, sweepTrain))));
        Summarise(session, "Dropout after the 784 layer (keep probability; PyTorch's p is 1 − keep)", "dropout", dropout);

        // The main run overfits (train accuracy 0.99) and stops near 0.918 on the test set. The same network on all training
        // images with the learning rate annealed to zero over a fixed 15 epochs, instead of stopped early, was measured at
        // 0.9234 from the CLI (seed 0; with dropout 0.5 after the 784 layer as well, 0.9236) before it became this stage.
        int annealedEpochs = quick ? 2 : 15;
        var annealed = session.Fit("cosine", Recipe(Network, 0, annealedEpochs, train) with
        {
            Schedule = new CosineAnnealingSchedule(),
            EarlyStoppingPatience = null,
        });
        session.Table($"{Network}, {annealedEpochs} epochs, the learning rate annealed from {G(rate)} to 0 (cosine), no early stopping",
            ["epochs run", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
            [[N(annealed.History.Epochs.Count), Acc(annealed.OnTrain), Acc(annealed.OnValidation!), Acc(annealed.OnTest!), F4(annealed.OnTest!.Loss), F1(annealed.Seconds)]]);
    }

    /// <summary>The main run: its table, figures and report (its model and buffers go when it returns).</summary>
    private static void MainRun(ExampleSession session, TrainingRunOptions recipe, Dataset<float> test)
    {
        var main = session.Fit("main", recipe);
        session.Table($"{Network}, up to {recipe.Epochs} epochs",
            ["epochs run", "early-stopping point (highest validation accuracy)", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
            [[N(main.History.Epochs.Count), N(BestEpochNumber(main.History)), Acc(main.OnTrain), Acc(main.OnValidation!), Acc(main.OnTest!), F4(main.OnTest!.Loss), F1(main.Seconds)]]);
        session.Save("loss-per-epoch", ExampleSession.Compact(RunFigures.LossPerEpoch(main.History, "cross-entropy", main.TestCurve)));
        session.Save("accuracy-per-epoch", ExampleSession.Compact(RunFigures.AccuracyPerEpoch(main.History, main.TestCurve)!));
        session.Save("filters", NetworkFigures.Filters(main.Model, main.Architecture)!);
        session.Save("feature-maps", NetworkFigures.FeatureMaps(main.Model, main.Architecture, test.Features.Row(0), $"the first test image ({test.ClassNames![test.Labels![0]]})")!);
        session.Save("distributions", DistributionFigures.OverTraining(main.Distributions!.Snapshots, byEpoch: true)!);
        session.Save("confusion-matrix", RunFigures.Confusion(test, main.OnTest!.Predicted!, "test"));
        session.Report("main", main, "seed 002 part 2 on Fashion-MNIST: the CNN", []);
    }

    /// <summary>What the sweeps' tables and figures need of a run, so its model can go.</summary>
    private sealed record Sweep(string Name, string[] Cells, double[] ValidationAccuracy);

    private static Sweep Row(string name, TrainingRunResult r) => new(name,
        [name, N(r.History.Epochs.Count), N(BestEpochNumber(r.History)), Acc(r.OnTrain), Acc(r.OnValidation!), Acc(r.OnTest!), F4(r.OnTest!.Loss), F1(r.Seconds)],
        [.. r.History.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN)]);

    private static void Summarise(ExampleSession session, string title, string file, List<Sweep> runs)
    {
        session.Table($"{title}; the first row is the same network without regularisation, trained alike",
            ["setting", "epochs run", "early-stopping point", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
            runs.Select(r => (IReadOnlyList<string>)r.Cells));
        var validation = new LineChart { Title = $"{title.Split(" (")[0]}: validation accuracy per epoch", XLabel = "epoch", YLabel = "accuracy" };
        foreach (var r in runs)
            validation.Add(r.Name, r.ValidationAccuracy, firstX: 1);
        session.Save($"{file}-validation-accuracy", ExampleSession.Compact(validation));
    }
}
