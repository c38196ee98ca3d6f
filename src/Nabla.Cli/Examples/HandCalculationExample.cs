using System.Globalization;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Runs;
using static Nabla.Cli.Examples.Numbers;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example worked-example</c>, seed 003: the hand calculation traced number by number against the seed's
/// rounded values, then its sigmoid 256 → 64 network with softmax and cross-entropy on Fashion-MNIST and iris, at the
/// seed's flags and at tuned ones, and iris on five splits.
/// </summary>
internal static class HandCalculationExample
{
    /// <summary>Runs the example into <paramref name="session"/>.</summary>
    public static void Run(ExampleSession session)
    {
        bool quick = session.Quick;
        session.Heading("worked-example — seed 003: the hand calculation, then sigmoid hidden layers with softmax and cross-entropy");
        var trace = WorkedExample.Trace();
        var text = new StringWriter();
        TraceText.Write(text, trace, WorkedExample.Network().ToString(), WorkedExample.Architecture.Loss);
        session.Line("`nabla trace --example worked-example`:");
        session.Code(text.ToString());
        CompareWithSeed(session, trace);

        var catalog = new DatasetCatalog();
        var fashion = catalog.Load<float>("fashion-mnist");
        var fashionTest = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
        if (quick)
        {
            fashion = fashion.Subset(Range(2000));
            fashionTest = fashionTest.Subset(Range(500));
        }
        var iris = catalog.Load<float>("iris");
        int seedEpochs = quick ? 1 : 30;
        TrainingRunOptions Recipe(Dataset<float> train, double rate, double momentum, int epochs, int batch) => new()
        {
            Train = train,
            Network = NetworkSpelling.Parse($"Linear(256), Sigmoid, Linear(64), Sigmoid, Linear({train.ClassNames!.Count})"),
            Loss = "cross-entropy",
            Optimizer = () => new Sgd<float>(rate, momentum: momentum),
            Epochs = epochs,
            BatchSize = batch,
            TestCurve = true,
        };
        // Iris has no test split: 20% held out, stratified, exactly as nabla train --data iris --test 0.2 --seed SEED holds it out.
        var irisSeedFlags = Recipe(iris, 0.001, 0, seedEpochs, 32) with { TestFraction = 0.2 };
        var irisTuned = Recipe(iris, 0.1, 0.9, quick ? 5 : 200, 16) with { TestFraction = 0.2, Scaling = ScalingKind.Standard };

        var fashionSeed = session.Fit("fashion-seed-flags", Recipe(fashion, 0.001, 0, seedEpochs, 32) with { Test = fashionTest });
        var fashionGood = session.Fit("fashion-tuned", Recipe(fashion, 0.1, 0.9, quick ? 1 : 15, 64) with { Test = fashionTest });
        var irisSeed = session.Fit("iris-seed-flags", irisSeedFlags);
        var irisGood = session.Fit("iris-tuned", irisTuned);
        var rows = new[]
        {
            (fashionSeed, "seed's flags: lr 0.001, 30 epochs, batches of 32"),
            (fashionGood, "lr 0.1, momentum 0.9, 15 epochs, batches of 64"),
            (irisSeed, "seed's flags: lr 0.001, 30 epochs, batches of 32"),
            (irisGood, "standardised inputs, lr 0.1, momentum 0.9, 200 epochs, batches of 16"),
        }.Select(r => (IReadOnlyList<string>)[r.Item1.Train.Name, r.Item2, N(r.Item1.Train.Count), N(r.Item1.Test!.Count), Acc(r.Item1.OnTrain), Acc(r.Item1.OnTest!), F4(r.Item1.OnTest!.Loss), F1(r.Item1.Seconds)]);
        session.Table("Seed 003's network (sigmoid 256 → sigmoid 64 → softmax, cross-entropy), plain or momentum SGD",
            ["data", "settings", "train samples", "test samples", "train accuracy", "test accuracy", "test loss", "seconds"], rows);

        // 30 test flowers make one split's accuracy move in steps of 0.033: the same recipe on five splits shows the spread.
        var splits = (quick ? new ulong[] { 0, 1 } : [0, 1, 2, 3, 4]).Select(seed => session.Fit("", irisTuned with { Seed = seed, TestCurve = null })).ToList();
        session.Table("Iris, tuned settings, on five stratified 80/20 splits (split and initial weights seeded 0–4)",
            ["seed", "test accuracy", "test errors (of 30)"],
            splits.Select((r, i) => (IReadOnlyList<string>)[N(i), Acc(r.OnTest!), N(r.Test!.Count - (int)Math.Round(r.OnTest!.Accuracy!.Value * r.Test.Count))])
                .Append(["mean", F4(splits.Average(r => r.OnTest!.Accuracy!.Value)), ""]));

        session.Save("fashion-accuracy-per-epoch", Curves("Fashion-MNIST: test accuracy per epoch", "accuracy", fashionSeed, fashionGood, r => r.TestCurve!.Accuracy));
        session.Save("iris-accuracy-per-epoch", Curves("Iris: test accuracy per epoch", "accuracy", irisSeed, irisGood, r => r.TestCurve!.Accuracy));
        session.Save("fashion-loss-per-epoch", Curves("Fashion-MNIST: training loss per epoch", "cross-entropy", fashionSeed, fashionGood, r => [.. r.History.Epochs.Select(e => e.Loss)]));
        session.Save("iris-loss-per-epoch", Curves("Iris: training loss per epoch", "cross-entropy", irisSeed, irisGood, r => [.. r.History.Epochs.Select(e => e.Loss)]));
        session.Save("iris-confusion-matrix", RunFigures.Confusion(irisGood.Test!, irisGood.OnTest!.Predicted!, "test"));
        foreach (var (name, run) in new[] { ("fashion-seed-flags", fashionSeed), ("fashion-tuned", fashionGood), ("iris-seed-flags", irisSeed), ("iris-tuned", irisGood) })
            session.Report(name, run, $"seed 003's network on {run.Train.Name} ({name})", []);
    }

    /// <summary>The trace's exact numbers beside seed 003's rounded ones.</summary>
    private static void CompareWithSeed(ExampleSession session, TraceResult trace)
    {
        var (hidden, activation, output) = (trace.Layers[0], trace.Layers[1], trace.Layers[2]);
        var w = hidden.Parameters.Single(p => p.Role == ParameterRole.Weight).Gradient;
        var b = hidden.Parameters.Single(p => p.Role == ParameterRole.Bias).Gradient;
        var v = output.Parameters.Single(p => p.Role == ParameterRole.Weight).Gradient;
        var v0 = output.Parameters.Single(p => p.Role == ParameterRole.Bias).Gradient;
        // MeanSquaredError averages over the outputs and the batch; with one of each it is the seed's (ŷ − y)².
        var rows = new List<IReadOnlyList<string>>
        {
            Row("z = W·[1, x]: j, k, l", "0.09, 0.08, 0.07", hidden.Output.Span.ToArray()),
            Row("a = sigmoid(z): m, n, o", "0.52, 0.52, 0.52", activation.Output.Span.ToArray()),
            Row("ŷ = v₀ + v·a", "0.056", output.Output.Span.ToArray()),
            Row("L = (ŷ − y)², y = 8", "—", [trace.Loss]),
            Row("∂L/∂ŷ = 2(ŷ − y)", "−15.888", trace.LossGradient.Span.ToArray()),
            Row("∂L/∂v: v₀, v₁, v₂, v₃", "−15.888, −8.262, −8.262, −8.262", [v0[0, 0], v[0, 0], v[0, 1], v[0, 2]]),
            Row("∂L/∂w₁: bias, x₁, x₂", "−0.0792, −0.0792, −0.1584", [b[0, 0], w[0, 0], w[0, 1]]),
            Row("∂L/∂w₂: bias, x₁, x₂", "−0.1187, −0.1187, −0.2375", [b[0, 1], w[1, 0], w[1, 1]]),
            Row("∂L/∂w₃: bias, x₁, x₂", "−0.1584, −0.1584, −0.3168", [b[0, 2], w[2, 0], w[2, 1]]),
        };
        session.Table("Seed 003's hand calculation (x = [1, 2], y = 8) against Nabla's float64 trace", ["quantity", "seed 003 (rounded by hand)", "Nabla (exact)"], rows);
    }

    private static IReadOnlyList<string> Row(string what, string seed, double[] exact) =>
        [what, seed, string.Join(", ", exact.Select(x => x.ToString("0.######", CultureInfo.InvariantCulture).Replace('-', '−')))];

    private static LineChart Curves(string title, string yLabel, TrainingRunResult seedFlags, TrainingRunResult tuned, Func<TrainingRunResult, IReadOnlyList<double>> values) =>
        ExampleSession.Compact(new LineChart { Title = title, XLabel = "epoch", YLabel = yLabel }
            .Add("seed's flags (lr 0.001)", values(seedFlags), firstX: 1).Add("tuned (lr 0.1, momentum 0.9)", values(tuned), firstX: 1));
}
