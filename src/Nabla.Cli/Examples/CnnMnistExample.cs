using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.Init;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Runs;
using Nabla.Training.Callbacks;
using static Nabla.Cli.Examples.Numbers;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example cnn-mnist</c>, seed 004 part 2 (MNIST when installed, Fashion-MNIST otherwise): conv 5×5×32 → ReLU → max-pool →
/// conv 5×5×64 → ReLU → max-pool → dense 1024 → ReLU → dropout 0.5 → softmax, Adam 1e-4, batches of 50, 5,500 steps; every 100
/// steps the min, max, mean, standard deviation and histogram of each layer's weights, biases, net inputs and activations, with the
/// validation and test error; then tanh, sigmoid and leaky ReLU, Xavier and He initialisation, and SGD, momentum and Adagrad.
/// </summary>
internal static class CnnMnistExample
{
    /// <summary>Seed 004's CNN, as <c>--network</c> spells it.</summary>
    public const string Network = "Conv2d(32, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(64, 5, padding=2), ReLU, MaxPool2d(2), Flatten, Linear(1024), ReLU, Dropout(0.5), Linear(10)";

    /// <summary>Runs the example into <paramref name="session"/>.</summary>
    public static void Run(ExampleSession session)
    {
        bool quick = session.Quick;
        var catalog = new DatasetCatalog();
        string data = catalog.Locate("mnist") is not null ? "mnist" : "fashion-mnist";
        session.Heading($"cnn-mnist — seed 004 part 2 on {(data == "mnist" ? "MNIST" : "Fashion-MNIST (MNIST is not installed here)")}: conv 5×5×32 → ReLU → max-pool → conv 5×5×64 → ReLU → max-pool → 1024 ReLU → dropout 0.5 → 10 softmax, Adam 1e-4");
        var all = catalog.Load<float>(data);
        var test = catalog.Load<float>(data, new DatasetOptions { Split = DataSplit.Test });
        if (quick)
        {
            all = all.Subset(Range(700));
            test = test.Subset(Range(200));
        }
        var (train, validation) = Split.TrainValidation(all, quick ? 100.0 / 700 : 5000.0 / 60000, 4, stratified: true);
        const int batch = 50;
        int stepsPerEpoch = (train.Count + batch - 1) / batch, epochs = quick ? 1 : 5, compareEpochs = quick ? 1 : 2, every = quick ? 4 : 100, compareEvery = quick ? 4 : 100;
        TrainingRunOptions Recipe(string network, IInitializer init, Func<Optimizer<float>> optimizer, int epochs) => new()
        {
            Train = train,
            Validation = validation,
            Test = test,
            Network = NetworkSpelling.Parse(network),
            Loss = "cross-entropy",
            Initializer = init,
            Optimizer = optimizer,
            Epochs = epochs,
            BatchSize = batch,
            Seed = 4,
            TestCurve = false,
        };
        var adam = () => (Optimizer<float>)new Adam<float>(1e-4);
        session.Line(string.Create(CultureInfo.InvariantCulture,
            $"`{Network}` on 1×28×28 images; LeCun-normal weights (N(0, 1/fan-in)), zero biases; Adam with learning rate 1e-4 on mini-batches of {batch}, reshuffled every epoch: " +
            $"{N(train.Count)} training images ({N(validation.Count)} held out for validation, stratified) make {N(stepsPerEpoch)} steps an epoch, so {epochs} epochs are the handout's " +
            $"{N(epochs * stepsPerEpoch)} steps. The validation and test error are measured every {every} steps on all {N(validation.Count)} and {N(test.Count)} images; " +
            $"the distributions on the first {TrainingRun.DistributionProbeSamples} validation images, in evaluation mode (dropout off)."));

        MainRun(session, Recipe(Network, GaussianInitializer.LecunNormal, adam, epochs), every);

        session.Line($"Each variation below changes one thing of the network above and trains {N(compareEpochs * stepsPerEpoch)} steps ({compareEpochs} epochs; the full {N(epochs * stepsPerEpoch)} for all nine " +
            $"would take nine times the main run's time, about an hour and a half on this 2-core machine), with the validation error every {compareEvery} steps; the first row of each table is the main recipe trained as long. " +
            "Maxout, which the handout also names, is not a Nabla layer, so it is left out.");
        var baseline = Summary("", session.Fit("compare-baseline", WithCurve(Recipe(Network, GaussianInitializer.LecunNormal, adam, compareEpochs), compareEvery, out var curve)), curve);
        Compare(session, "Hidden activation", "activations", baseline with { Name = "ReLU" }, compareEvery,
            ("tanh", Recipe(Network.Replace("ReLU", "Tanh", StringComparison.Ordinal), GaussianInitializer.LecunNormal, adam, compareEpochs)),
            ("sigmoid", Recipe(Network.Replace("ReLU", "Sigmoid", StringComparison.Ordinal), GaussianInitializer.LecunNormal, adam, compareEpochs)),
            ("leaky ReLU (0.01)", Recipe(Network.Replace("ReLU", "LeakyReLU(0.01)", StringComparison.Ordinal), GaussianInitializer.LecunNormal, adam, compareEpochs)));
        Compare(session, "Initialisation", "initialisation", baseline with { Name = "LeCun normal, N(0, 1/fan-in)" }, compareEvery,
            ("Xavier normal, N(0, 2/(fan-in + fan-out))", Recipe(Network, GaussianInitializer.XavierNormal, adam, compareEpochs)),
            ("He normal, N(0, 2/fan-in)", Recipe(Network, GaussianInitializer.HeNormal, adam, compareEpochs)));
        Compare(session, "Optimizer", "optimizers", baseline with { Name = "Adam, lr 1e-4" }, compareEvery,
            ("SGD, lr 0.01", Recipe(Network, GaussianInitializer.LecunNormal, () => new Sgd<float>(0.01), compareEpochs)),
            ("momentum 0.9, lr 0.01", Recipe(Network, GaussianInitializer.LecunNormal, () => new Sgd<float>(0.01, momentum: 0.9), compareEpochs)),
            ("Adagrad, lr 0.01", Recipe(Network, GaussianInitializer.LecunNormal, () => new Adagrad<float>(0.01), compareEpochs)));
    }

    /// <summary>What a comparison needs of a run: its validation error curve and final numbers after its name (so its model can go).</summary>
    private sealed record Variant(string Name, IReadOnlyList<int> Steps, IReadOnlyList<double> ValidationError, string[] Cells);

    private static Variant Summary(string name, TrainingRunResult r, StepEvaluation<float> validation) => new(name, validation.Steps,
        [.. validation.Accuracy.Select(a => 1 - a)],
        [Acc(r.OnTrain), F4(1 - r.OnValidation!.Accuracy!.Value), F4(1 - r.OnTest!.Accuracy!.Value), F4(r.OnTest.Loss), F1(r.Seconds)]);

    /// <summary><paramref name="recipe"/> with a validation-error curve every <paramref name="every"/> steps.</summary>
    private static TrainingRunOptions WithCurve(TrainingRunOptions recipe, int every, out StepEvaluation<float> curve)
    {
        curve = new StepEvaluation<float>(recipe.Validation!, new CrossEntropy<float>(), every);
        return recipe with { Callbacks = [curve] };
    }

    /// <summary>The main run with every measurement every <paramref name="every"/> steps: its tables, figures and report.</summary>
    private static void MainRun(ExampleSession session, TrainingRunOptions recipe, int every)
    {
        var validation = new StepEvaluation<float>(recipe.Validation!, new CrossEntropy<float>(), every);
        var test = new StepEvaluation<float>(recipe.Test!, new CrossEntropy<float>(), every);
        var main = session.Fit("main", recipe with { RecordDistributions = true, DistributionsEvery = every, Callbacks = [validation, test] });
        int steps = main.History.IterationLoss.Count;
        session.Table($"{Network}: {N(steps)} steps",
            ["steps", "train accuracy", "validation error", "test error", "test accuracy", "test loss", "seconds"],
            [[N(steps), Acc(main.OnTrain), F4(1 - main.OnValidation!.Accuracy!.Value), F4(1 - main.OnTest!.Accuracy!.Value), Acc(main.OnTest), F4(main.OnTest.Loss), F1(main.Seconds)]]);
        var rows = validation.Steps.Select((s, i) => (Step: s, Validation: 1 - validation.Accuracy[i], Test: 1 - test.Accuracy[i]))
            .Where((r, i) => i % 5 == 0 || i == validation.Steps.Count - 1).ToList();
        session.Table($"Validation and test error during training (every {every * 5} steps here; every {every} in figures/error-per-step.svg and layer-statistics.csv)",
            ["step", "validation error", "test error"], rows.Select(r => (IReadOnlyList<string>)[N(r.Step), F4(r.Validation), F4(r.Test)]));
        var snapshots = main.Distributions!.Snapshots;
        session.Table($"Each layer's values after the last step ({N(snapshots[^1].Step)}): weights and biases whole, net inputs and activations on the probe batch",
            ["tensor", "quantity", "values", "min", "max", "mean", "std"],
            snapshots[^1].Values.OrderBy(v => v.Layer).Select(v => (IReadOnlyList<string>)[v.Name, v.Quantity, N((int)v.Count), G(v.Min), G(v.Max), G(v.Mean), G(v.StandardDeviation)]));
        session.SaveText("layer-statistics.csv", Statistics(snapshots, validation, test));
        session.Save("error-per-step", ExampleSession.Compact(new LineChart { Title = "Validation and test error", XLabel = "step", YLabel = "error (1 − accuracy)" }
            .Add("validation", [.. validation.Steps.Select(s => (double)s)], [.. validation.Accuracy.Select(a => 1 - a)])
            .Add("test", [.. test.Steps.Select(s => (double)s)], [.. test.Accuracy.Select(a => 1 - a)])));
        session.Save("distributions", DistributionFigures.OverTraining(snapshots, byEpoch: false)!);
        session.Save("histograms", DistributionFigures.Histograms(snapshots, byEpoch: false)!);
        session.Save("filters", NetworkFigures.Filters(main.Model, main.Architecture)!);
        session.Save("feature-maps", NetworkFigures.FeatureMaps(main.Model, main.Architecture, recipe.Test!.Features.Row(0), $"the first test image ({recipe.Test.ClassNames![recipe.Test.Labels![0]]})")!);
        session.Report("main", main, "seed 004 part 2: the CNN", []);
    }

    /// <summary>Runs each variant, then a table and a figure of validation error per step against <paramref name="baseline"/>.</summary>
    private static void Compare(ExampleSession session, string title, string file, Variant baseline, int every, params (string Name, TrainingRunOptions Recipe)[] variants)
    {
        var runs = new List<Variant> { baseline };
        foreach (var (name, recipe) in variants)
            runs.Add(Summary(name, session.Fit($"{file}-{runs.Count}", WithCurve(recipe, every, out var validation)), validation));
        session.Table($"{title}; the first row is the main recipe", ["setting", "train accuracy", "validation error", "test error", "test loss", "seconds"],
            runs.Select(r => (IReadOnlyList<string>)[r.Name, .. r.Cells]));
        var chart = new LineChart { Title = $"{title}: validation error", XLabel = "step", YLabel = "error (1 − accuracy)" };
        foreach (var r in runs)
            chart.Add(r.Name, [.. r.Steps.Select(s => (double)s)], r.ValidationError);
        session.Save($"{file}-validation-error", ExampleSession.Compact(chart));
    }

    /// <summary>Every snapshot's numbers, one row per tensor: step, the errors, the statistics and the histogram (bin counts separated by spaces).</summary>
    private static string Statistics(IReadOnlyList<DistributionSnapshot> snapshots, StepEvaluation<float> validation, StepEvaluation<float> test)
    {
        var csv = new StringBuilder("step,validation_error,test_error,tensor,quantity,count,min,max,mean,std,histogram\n");
        foreach (var s in snapshots)
        {
            int k = validation.Steps.ToList().IndexOf(s.Step);
            string errors = k < 0 ? "," : $"{R(1 - validation.Accuracy[k])},{R(1 - test.Accuracy[k])}";
            foreach (var v in s.Values)
                csv.Append(CultureInfo.InvariantCulture, $"{s.Step},{errors},{v.Name},{v.Quantity},{v.Count},{R(v.Min)},{R(v.Max)},{R(v.Mean)},{R(v.StandardDeviation)},{string.Join(' ', v.Histogram)}\n");
        }
        return csv.ToString();
    }

    private static string R(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
