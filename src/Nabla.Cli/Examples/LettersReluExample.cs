using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Reports;
using Nabla.Runs;
using static Nabla.Cli.Examples.Numbers;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example letters-relu</c>, seed 002 on Fashion-MNIST (notMNIST is not available here): 784 → hidden ReLU →
/// 10 softmax with Xavier weights, momentum SGD, a decaying learning rate and early stopping, then the handout's sweep
/// of hidden-layer sizes, with test curves, the confusion matrix and misclassified images.
/// </summary>
internal static class LettersReluExample
{
    /// <summary>Runs the example into <paramref name="session"/>.</summary>
    public static void Run(ExampleSession session)
    {
        bool quick = session.Quick;
        session.Heading("letters-relu — seed 002 on Fashion-MNIST (notMNIST is not available here): 784 → hidden ReLU → 10 softmax, Xavier, momentum 0.9");
        var catalog = new DatasetCatalog();
        var all = catalog.Load<float>("fashion-mnist");
        var test = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
        if (quick)
        {
            all = all.Subset(Range(3000));
            test = test.Subset(Range(1000));
        }
        var (train, validation) = Split.TrainValidation(all, quick ? 0.2 : 5000.0 / 60000, 2, stratified: true);
        int epochs = quick ? 2 : 30, patience = 3, batch = 128;
        const double rate = 0.05, decay = 0.85;
        TrainingRunOptions Recipe(int hidden, Dataset<float> trainOn, Dataset<float> validateOn, bool testCurve) => new()
        {
            Train = trainOn,
            Validation = validateOn,
            Test = test,
            Network = NetworkSpelling.Parse($"Linear({hidden}), ReLU, Linear(10)"),
            Loss = "cross-entropy",
            Optimizer = () => new Sgd<float>(rate, momentum: 0.9),
            Schedule = LearningRateSchedule.Exponential(decay),
            Epochs = epochs,
            BatchSize = batch,
            Seed = 2,
            EarlyStoppingPatience = patience,
            TestCurve = testCurve,
        };
        session.Line(string.Create(CultureInfo.InvariantCulture,
            $"Training: SGD with momentum γ = 0.9, learning rate {rate} multiplied by {decay} every epoch, mini-batches of {batch}, at most {epochs} epochs, early stopping after {patience} epochs without a lower validation loss (the best weights are kept)."));

        var main = session.Fit("hidden-1000", Recipe(1000, train, validation, testCurve: true));
        session.Table($"784 → 1000 ReLU → 10 on {N(train.Count)} training images ({N(validation.Count)} held out for validation, stratified), {N(test.Count)} test images",
            ["epochs run", "early-stopping point (lowest validation loss)", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
            [[N(main.History.Epochs.Count), N(BestEpochNumber(main.History)), Acc(main.OnTrain), Acc(main.OnValidation!), Acc(main.OnTest!), F4(main.OnTest!.Loss), F1(main.Seconds)]]);

        // The handout's sweep used 15,000 training and 1,000 validation images; so does this one, which keeps it affordable.
        var (sweepTrain, sweepValidation) = Split.TrainValidation(train.Subset(Range(Math.Min(train.Count, quick ? 1500 : 16000))), 1.0 / 16, 3, stratified: true);
        var runs = (quick ? new[] { 100, 1000 } : [100, 500, 1000, 2000])
            .Select(hidden => session.Fit($"sweep-{hidden}", Recipe(hidden, sweepTrain, sweepValidation, testCurve: false))).ToList();
        session.Table($"Hidden-layer size sweep on the handout's sizes: {N(sweepTrain.Count)} training, {N(sweepValidation.Count)} validation images; same optimizer and stopping rule; test on all {N(test.Count)}",
            ["hidden units", "parameters", "epochs run", "early-stopping point", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
            runs.Select(r => (IReadOnlyList<string>)
            [
                N(r.Architecture.Layers[0].Int("out_features")), N((int)r.Model.ParameterCount), N(r.History.Epochs.Count), N(BestEpochNumber(r.History)),
                Acc(r.OnTrain), Acc(r.OnValidation!), Acc(r.OnTest!), F4(r.OnTest!.Loss), F1(r.Seconds),
            ]));

        session.Save("loss-per-epoch", ExampleSession.Compact(RunFigures.LossPerEpoch(main.History, "cross-entropy", main.TestCurve)));
        session.Save("accuracy-per-epoch", ExampleSession.Compact(RunFigures.AccuracyPerEpoch(main.History, main.TestCurve)!));
        session.Save("confusion-matrix", RunFigures.Confusion(test, main.OnTest!.Predicted!, "test"));
        session.Save("misclassified", RunFigures.Misclassified(test, main.OnTest!.Predicted!, null, "test", 16)!);
        session.Report("hidden-1000", main, "seed 002 on Fashion-MNIST: 784 → 1000 ReLU → 10", []);
    }
}
