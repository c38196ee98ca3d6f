using System.CommandLine;
using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.IO;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla example NAME</c>: reproduces one seed assignment end to end (every run it needs), and
/// writes small SVG figures to <c>DIR/figures</c>, the measured numbers as Markdown tables to
/// <c>DIR/results.md</c>, and a full report of each main run to <c>DIR/runs/RUN/report.html</c>.
/// <c>--quick</c> runs the same steps on little data for a few epochs, so tests keep them working.
/// </summary>
internal static class ExampleCommand
{
    /// <summary>The examples, one per seed assignment (gaussians covers seeds 000 and 001).</summary>
    public static readonly string[] Names = ["gaussians", "letters-relu", "worked-example", "moons"];

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Which example: " + string.Join(", ", Names) + "." }.AcceptOnlyFromAmong(Names);
        var output = new Option<string?>("--out") { Description = "Directory for figures/, results.md and runs/ (default: runs/example-NAME).", HelpName = "DIR" };
        var quick = new Option<bool>("--quick") { Description = "A shortened run (little data, few epochs) that checks every step works; its numbers mean nothing." };
        var command = new Command("example",
            "Reproduce a seed assignment: every run, its figures and a table of the measured numbers.\n\n" +
            "Examples:\n  nabla example gaussians --out examples/gaussians\n  nabla example moons --quick");
        command.Add(name);
        command.Add(output);
        command.Add(quick);
        command.SetAction(parse =>
        {
            string example = parse.GetValue(name)!;
            var session = new Session(context, parse.GetValue(output) ?? Path.Combine("runs", "example-" + example), parse.GetValue(quick));
            switch (example)
            {
                case "gaussians": session.Gaussians(); break;
                case "letters-relu": session.LettersRelu(); break;
                case "worked-example": session.WorkedExample(); break;
                default: session.Moons(); break;
            }
            session.Finish(example);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One finished training run and what it measured.</summary>
    private sealed record Run(string Name, Architecture Architecture, Sequential<float> Model, History History,
        Dataset<float> Train, Dataset<float>? Validation, Dataset<float>? Test, EpochEvaluation<float>? TestCurve, double Seconds)
    {
        public EvaluationResult OnTrain { get; } = Evaluation.Run(Model, Architecture.CreateLoss<float>(), Train);

        public EvaluationResult? OnValidation { get; } = Validation is null ? null : Evaluation.Run(Model, Architecture.CreateLoss<float>(), Validation);

        public EvaluationResult? OnTest { get; } = Test is null ? null : Evaluation.Run(Model, Architecture.CreateLoss<float>(), Test);
    }

    /// <summary>What a run trains with.</summary>
    private sealed record Recipe(Optimizer<float> Optimizer, int Epochs, int? BatchSize = null, ulong Seed = 1, IInitializer? Init = null,
        bool RecordParameters = false, int? Patience = null, bool TestCurve = false, LearningRateSchedule? Schedule = null);

    private sealed class Session(CliContext context, string directory, bool quick)
    {
        private readonly StringBuilder markdown = new();
        private readonly Stopwatch clock = Stopwatch.StartNew();

        private string Figures => Path.Combine(directory, "figures");

        // ───────────────────────────── seeds 000 and 001 ─────────────────────────────

        public void Gaussians()
        {
            Heading("gaussians — seeds 000 and 001: 2-2-2 tanh, softmax, MSE(softmax) + cross-entropy, full-batch gradient descent");
            const ulong seed = 10;
            var data = new DataRequest("gaussians", null, quick ? 200 : DataRequest.GaussiansTrainSamples, null, null, false, seed);
            var train = data.LoadTrain<float>();
            var test = data.LoadTest<float>()!;
            if (quick)
                test = test.Subset(Range(1000));
            double bayes = BayesOptimalGaussians(quick ? 0.02 : 0.004);
            var architecture = Architecture.Mlp(2, [2], 2, "tanh", "mse+cross-entropy", train.ClassNames);
            int iterations = quick ? 50 : 2000;

            var flat = Fit("lr-1e-6", architecture, train, null, test, new Recipe(new Sgd<float>(1e-6), iterations, Seed: seed, RecordParameters: true));
            var trained = Fit("lr-0.5", architecture, train, null, test, new Recipe(new Sgd<float>(0.5), iterations, Seed: seed, RecordParameters: true));
            var first = flat.History.IterationLoss[0];
            double moved = MaxParameterChange(flat.History);
            Table("The seeds' learning rate against one that trains (same data, same initial weights)",
                ["learning rate", "iterations", "loss at iteration 1", "final loss", "largest change of any weight", "test accuracy (10,000 points)"],
                [[G(1e-6), N(iterations), F6(first), F6(flat.History.IterationLoss[^1]), G(moved), Acc(flat.OnTest!)],
                 ["0.5", N(iterations), F6(trained.History.IterationLoss[0]), F6(trained.History.IterationLoss[^1]), G(MaxParameterChange(trained.History)), Acc(trained.OnTest!)]]);
            Line(string.Create(CultureInfo.InvariantCulture, $"Bayes-optimal accuracy (numerical integral of max(½p₀, ½p₁)): **{bayes:0.0000}**."));

            var rates = quick ? new[] { 1e-6, 0.5 } : [1e-6, 1e-4, 1e-2, 0.1, 0.5, 1, 2];
            var sweep = rates.Select(rate => Fit("", architecture, train, null, test, new Recipe(new Sgd<float>(rate), iterations, Seed: seed))).ToList();
            Table($"Learning-rate sweep, {N(iterations)} full-batch iterations each",
                ["learning rate", "final training loss", "training accuracy", "test accuracy"],
                sweep.Select((r, i) => (IReadOnlyList<string>)[G(rates[i]), F6(r.History.IterationLoss[^1]), Acc(r.OnTrain), Acc(r.OnTest!)]));

            Save("data", RunFigures.Data(train, null, $"Training data, seed 10 ({N(train.Count)} points)"));
            Save("loss-per-iteration", new LineChart { Title = "Training loss per iteration", XLabel = "iteration", YLabel = "MSE(softmax) + cross-entropy", LogY = true, MaxPointsPerSeries = 300 }
                .Add("lr 1e-6 (the seeds')", flat.History.IterationLoss, firstX: 1).Add("lr 0.5", trained.History.IterationLoss, firstX: 1));
            Save("loss-lr-1e-6", new LineChart { Title = "Training loss per iteration at lr 1e-6 (zoomed in)", XLabel = "iteration", YLabel = "MSE(softmax) + cross-entropy", MaxPointsPerSeries = 300 }
                .Add("lr 1e-6", flat.History.IterationLoss, firstX: 1));
            Save("parameters-lr-1e-6", Compact(RunFigures.Parameters(flat.History)!));
            Save("parameters-lr-0.5", Compact(RunFigures.Parameters(trained.History)!));
            Save("decision-boundary", RunFigures.Boundary(trained.Model, architecture, train, $"Decision boundary after {N(iterations)} iterations at lr 0.5", 120));
            Report(flat, "seed 000/001 at the seeds' learning rate 1e-6", [new("Bayes-optimal accuracy", F4(bayes))]);
            Report(trained, "seed 000/001 at learning rate 0.5", [new("Bayes-optimal accuracy", F4(bayes))]);
        }

        // ───────────────────────────── seed 002 ─────────────────────────────

        public void LettersRelu()
        {
            Heading("letters-relu — seed 002 on Fashion-MNIST (notMNIST is not available here): 784 → hidden ReLU → 10 softmax, Xavier, momentum 0.9");
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
            Recipe Recipe(bool testCurve) => new(new Sgd<float>(rate, momentum: 0.9), epochs, batch, Seed: 2, Init: GaussianInitializer.XavierNormal,
                Patience: patience, TestCurve: testCurve, Schedule: LearningRateSchedule.Exponential(decay));
            Line(string.Create(CultureInfo.InvariantCulture,
                $"Training: SGD with momentum γ = 0.9, learning rate {rate} multiplied by {decay} every epoch, mini-batches of {batch}, at most {epochs} epochs, early stopping after {patience} epochs without a lower validation loss (the best weights are kept)."));

            var main = Fit("hidden-1000", Architecture.Mlp(784, [1000], 10, "relu", "cross-entropy", train.ClassNames), train, validation, test, Recipe(testCurve: true));
            Table($"784 → 1000 ReLU → 10 on {N(train.Count)} training images ({N(validation.Count)} held out for validation, stratified), {N(test.Count)} test images",
                ["epochs run", "early-stopping point (lowest validation loss)", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
                [[N(main.History.Epochs.Count), N(BestEpochNumber(main.History)), Acc(main.OnTrain), Acc(main.OnValidation!), Acc(main.OnTest!), F4(main.OnTest!.Loss), F1(main.Seconds)]]);

            // The handout's sweep used 15,000 training and 1,000 validation images; so does this one, which keeps it affordable.
            var (sweepTrain, sweepValidation) = Split.TrainValidation(train.Subset(Range(Math.Min(train.Count, quick ? 1500 : 16000))), 1.0 / 16, 3, stratified: true);
            var runs = (quick ? new[] { 100, 1000 } : [100, 500, 1000, 2000]).Select(hidden =>
                Fit($"sweep-{hidden}", Architecture.Mlp(784, [hidden], 10, "relu", "cross-entropy", train.ClassNames), sweepTrain, sweepValidation, test, Recipe(testCurve: false))).ToList();
            Table($"Hidden-layer size sweep on the handout's sizes: {N(sweepTrain.Count)} training, {N(sweepValidation.Count)} validation images; same optimizer and stopping rule; test on all {N(test.Count)}",
                ["hidden units", "parameters", "epochs run", "early-stopping point", "train accuracy", "validation accuracy", "test accuracy", "test loss", "seconds"],
                runs.Select(r => (IReadOnlyList<string>)
                [
                    N(r.Architecture.Layers[0].Int("out_features")), N((int)r.Model.ParameterCount), N(r.History.Epochs.Count), N(BestEpochNumber(r.History)),
                    Acc(r.OnTrain), Acc(r.OnValidation!), Acc(r.OnTest!), F4(r.OnTest!.Loss), F1(r.Seconds),
                ]));

            Save("loss-per-epoch", Compact(RunFigures.LossPerEpoch(main.History, "cross-entropy", main.TestCurve)));
            Save("accuracy-per-epoch", Compact(RunFigures.AccuracyPerEpoch(main.History, main.TestCurve)!));
            Save("confusion-matrix", RunFigures.Confusion(test, main.OnTest!.Predicted!, "test"));
            Save("misclassified", RunFigures.Misclassified(test, main.OnTest!.Predicted!, null, "test", 16)!);
            Report(main, "seed 002 on Fashion-MNIST: 784 → 1000 ReLU → 10", []);
        }

        // ───────────────────────────── seed 003 ─────────────────────────────

        public void WorkedExample()
        {
            Heading("worked-example — seed 003: the hand calculation, then sigmoid hidden layers with softmax and cross-entropy");
            var traceOutput = new StringWriter();
            int code = CliApp.Run(["trace", "--example", "worked-example"], traceOutput, traceOutput);
            if (code != ExitCodes.Ok)
                throw new InvalidOperationException($"nabla trace --example worked-example failed:\n{traceOutput}");
            Line("`nabla trace --example worked-example`:");
            markdown.Append("```\n").Append(traceOutput.ToString().TrimEnd()).Append("\n```\n\n");
            CompareWithSeed();

            var catalog = new DatasetCatalog();
            var fashion = catalog.Load<float>("fashion-mnist");
            var fashionTest = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
            if (quick)
            {
                fashion = fashion.Subset(Range(2000));
                fashionTest = fashionTest.Subset(Range(500));
            }
            var iris = catalog.Load<float>("iris");
            var (irisTrain, irisTest) = IrisSplit(iris, 0);
            var irisScaling = Scaling.Fit(ScalingKind.Standard, irisTrain.Features);

            int seedEpochs = quick ? 1 : 30;
            var rows = new List<IReadOnlyList<string>>();
            var fashionNet = Architecture.Mlp(784, [256, 64], 10, "sigmoid", "cross-entropy", fashion.ClassNames);
            var fashionSeed = Fit("fashion-seed-flags", fashionNet, fashion, null, fashionTest, new Recipe(new Sgd<float>(0.001), seedEpochs, 32, Seed: 0, TestCurve: true));
            var fashionGood = Fit("fashion-tuned", fashionNet, fashion, null, fashionTest, new Recipe(new Sgd<float>(0.1, momentum: 0.9), quick ? 1 : 15, 64, Seed: 0, TestCurve: true));
            var irisNet = Architecture.Mlp(4, [256, 64], 3, "sigmoid", "cross-entropy", iris.ClassNames);
            var irisSeed = Fit("iris-seed-flags", irisNet, irisTrain, null, irisTest, new Recipe(new Sgd<float>(0.001), seedEpochs, 32, Seed: 0, TestCurve: true));
            var scaledNet = irisNet with { Scaling = irisScaling };
            var irisGood = Fit("iris-tuned", scaledNet, Scaled(irisTrain, irisScaling), null, Scaled(irisTest, irisScaling),
                new Recipe(new Sgd<float>(0.1, momentum: 0.9), quick ? 5 : 200, 16, Seed: 0, TestCurve: true));
            foreach (var (run, settings) in new[]
                     {
                         (fashionSeed, "seed's flags: lr 0.001, 30 epochs, batches of 32"),
                         (fashionGood, "lr 0.1, momentum 0.9, 15 epochs, batches of 64"),
                         (irisSeed, "seed's flags: lr 0.001, 30 epochs, batches of 32"),
                         (irisGood, "standardised inputs, lr 0.1, momentum 0.9, 200 epochs, batches of 16"),
                     })
                rows.Add([run.Train.Name, settings, N(run.Train.Count), N(run.Test!.Count), Acc(run.OnTrain), Acc(run.OnTest!), F4(run.OnTest!.Loss), F1(run.Seconds)]);
            Table("Seed 003's network (sigmoid 256 → sigmoid 64 → softmax, cross-entropy), plain or momentum SGD",
                ["data", "settings", "train samples", "test samples", "train accuracy", "test accuracy", "test loss", "seconds"], rows);

            // 30 test flowers make one split's accuracy move in steps of 0.033: the same recipe on five splits shows the spread.
            var splits = (quick ? new ulong[] { 0, 1 } : [0, 1, 2, 3, 4]).Select(seed =>
            {
                var (tr, te) = IrisSplit(iris, seed);
                var scaling = Scaling.Fit(ScalingKind.Standard, tr.Features);
                return Fit("", irisNet with { Scaling = scaling }, Scaled(tr, scaling), null, Scaled(te, scaling),
                    new Recipe(new Sgd<float>(0.1, momentum: 0.9), quick ? 5 : 200, 16, Seed: seed));
            }).ToList();
            Table("Iris, tuned settings, on five stratified 80/20 splits (split and initial weights seeded 0–4)",
                ["seed", "test accuracy", "test errors (of 30)"],
                splits.Select((r, i) => (IReadOnlyList<string>)[N(i), Acc(r.OnTest!), N(r.Test!.Count - (int)Math.Round(r.OnTest!.Accuracy!.Value * r.Test.Count))])
                    .Append([$"mean", F4(splits.Average(r => r.OnTest!.Accuracy!.Value)), ""]));

            Save("fashion-accuracy-per-epoch", Curves("Fashion-MNIST: test accuracy per epoch", "accuracy", fashionSeed, fashionGood, r => r.TestCurve!.Accuracy));
            Save("iris-accuracy-per-epoch", Curves("Iris: test accuracy per epoch", "accuracy", irisSeed, irisGood, r => r.TestCurve!.Accuracy));
            Save("fashion-loss-per-epoch", Curves("Fashion-MNIST: training loss per epoch", "cross-entropy", fashionSeed, fashionGood, r => [.. r.History.Epochs.Select(e => e.Loss)]));
            Save("iris-loss-per-epoch", Curves("Iris: training loss per epoch", "cross-entropy", irisSeed, irisGood, r => [.. r.History.Epochs.Select(e => e.Loss)]));
            Save("iris-confusion-matrix", RunFigures.Confusion(irisGood.Test!, irisGood.OnTest!.Predicted!, "test"));
            foreach (var run in new[] { fashionSeed, fashionGood, irisSeed, irisGood })
                Report(run, $"seed 003's network on {run.Train.Name} ({run.Name})", []);
        }

        /// <summary>Iris has no test split: 20% held out, stratified, exactly as <c>nabla train --data iris --test 0.2 --seed SEED</c> holds it out.</summary>
        private static (Dataset<float> Train, Dataset<float> Test) IrisSplit(Dataset<float> iris, ulong seed) =>
            Split.TrainValidation(iris, 0.2, seed ^ Runs.TrainingRun.TestSplitSalt, stratified: true);

        /// <summary>The trace's exact numbers beside seed 003's rounded ones.</summary>
        private void CompareWithSeed()
        {
            var network = TraceCommand.WorkedExampleNetwork();
            var trace = Trace.Run(network, new Losses.MeanSquaredError<double>(), Matrix<double>.FromRows([1.0, 2.0]), Matrix<double>.FromRows([8.0]), 0.1);
            var hidden = trace.Layers[0];
            var activation = trace.Layers[1];
            var output = trace.Layers[2];
            var w = hidden.Parameters.Single(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Gradient;
            var b = hidden.Parameters.Single(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Gradient;
            var v = output.Parameters.Single(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Gradient;
            var v0 = output.Parameters.Single(p => p.Name.EndsWith("bias", StringComparison.Ordinal)).Gradient;
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
            Table("Seed 003's hand calculation (x = [1, 2], y = 8) against Nabla's float64 trace", ["quantity", "seed 003 (rounded by hand)", "Nabla (exact)"], rows);
        }

        private static IReadOnlyList<string> Row(string what, string seed, double[] exact) =>
            [what, seed, string.Join(", ", exact.Select(x => x.ToString("0.######", CultureInfo.InvariantCulture).Replace('-', '−')))];

        // ───────────────────────────── seed 004 ─────────────────────────────

        public void Moons()
        {
            Heading("moons — seed 004: make_moons(200, noise 0.20), 2 → hidden → 2 softmax, cross-entropy + L2, full-batch gradient descent");
            var train = Synthetic.Moons<float>(200, 0.2, seed: 0);
            var test = Synthetic.Moons<float>(quick ? 200 : 2000, 0.2, seed: 1);
            int passes = quick ? 200 : 20000;
            Line($"The handout's `fit_model`: {N(passes)} full-batch passes, learning rate ε = 0.01, L2 λ = 0.01. Its gradient is summed over the 200 points (dW = aᵀδ, no 1/N) while Nabla's loss is the mean, " +
                 "so the same steps are learning rate 0.01 × 200 = 2 and λ = 0.01 / 200 = 5e-5 here. Taking 0.01 and 0.01 literally on the mean loss takes 200 times smaller steps; both readings are measured. " +
                 $"Test accuracy is on {N(test.Count)} fresh points from the same distribution.");
            Recipe Summed() => new(new Sgd<float>(2, weightDecay: 5e-5), passes, Seed: 4);
            Recipe Literal() => new(new Sgd<float>(0.01, weightDecay: 0.01), passes, Seed: 4);

            var activations = new[] { "tanh", "sigmoid", "relu" };
            var byActivation = activations.Select(a => Fit($"3-{a}", Architecture.Mlp(2, [3], 2, a, "cross-entropy", train.ClassNames), train, null, test, Summed())).ToList();
            var literal = activations.Select(a => Fit("", Architecture.Mlp(2, [3], 2, a, "cross-entropy", train.ClassNames), train, null, test, Literal())).ToList();
            Table("3 hidden units, by activation", ["activation", "reading", "final training loss", "train accuracy", "test accuracy"],
                activations.SelectMany((a, i) => new IReadOnlyList<string>[]
                {
                    [a, "summed gradient (lr 2, λ 5e-5)", F4(byActivation[i].History.IterationLoss[^1]), Acc(byActivation[i].OnTrain), Acc(byActivation[i].OnTest!)],
                    [a, "literal (lr 0.01, λ 0.01 on the mean)", F4(literal[i].History.IterationLoss[^1]), Acc(literal[i].OnTrain), Acc(literal[i].OnTest!)],
                }));
            Save("activations", Boundaries("Decision boundary with 3 hidden units (lr 2, λ 5e-5 on the mean loss)", byActivation, activations, columns: 3));
            Save("activations-literal", Boundaries("The same with lr 0.01, λ 0.01 taken literally on the mean loss", literal, activations, columns: 3));

            int[] sizes = quick ? [1, 3] : [1, 2, 3, 5, 20, 50];
            var bySize = sizes.Select(h => Fit($"{h}-tanh", Architecture.Mlp(2, [h], 2, "tanh", "cross-entropy", train.ClassNames), train, null, test, Summed())).ToList();
            Table("Hidden-size sweep with tanh", ["hidden units", "final training loss", "train accuracy", "test accuracy"],
                bySize.Select((r, i) => (IReadOnlyList<string>)[N(sizes[i]), F4(r.History.IterationLoss[^1]), Acc(r.OnTrain), Acc(r.OnTest!)]));
            Save("hidden-sizes", Boundaries("Decision boundary by hidden-layer size (tanh)", bySize, [.. sizes.Select(h => $"{h} hidden unit{(h == 1 ? "" : "s")}")], columns: 3));

            // The n-layer part: three tanh layers of 16, trained longer with a larger step, with and without L2.
            var spiral = Synthetic.Spiral<float>(300, 3, 0.1, seed: 0);
            var spiralTest = Synthetic.Spiral<float>(quick ? 300 : 3000, 3, 0.1, seed: 1);
            int deepEpochs = quick ? 200 : 10000;
            var deep = new List<(string Data, double Lambda, Run Run)>();
            foreach (var (name, data, held) in new[] { ("moons", train, test), ("spiral", spiral, spiralTest) })
                foreach (double lambda in new[] { 0.0, 0.01 })
                    deep.Add((name, lambda, Fit($"deep-{name}-l2-{G(lambda)}", Architecture.Mlp(2, [16, 16, 16], data.ClassNames!.Count, "tanh", "cross-entropy", data.ClassNames),
                        data, null, held, new Recipe(new Sgd<float>(0.05, weightDecay: lambda), deepEpochs, Seed: 4))));
            Table($"Deeper network 2 → 16 → 16 → 16 (tanh) → softmax, {N(deepEpochs)} full-batch passes at lr 0.05",
                ["data", "L2 λ", "ΣW² after training", "final training loss", "train accuracy", "test accuracy"],
                deep.Select(d => (IReadOnlyList<string>)[d.Data, G(d.Lambda), F1(SumOfSquaredWeights(d.Run.Model)), F4(d.Run.History.IterationLoss[^1]), Acc(d.Run.OnTrain), Acc(d.Run.OnTest!)]));
            Save("deep-l2", Boundaries("2 → 16 → 16 → 16 tanh, without and with L2", [.. deep.Select(d => d.Run)],
                [.. deep.Select(d => $"{d.Data}, λ = {G(d.Lambda)}")], columns: 2));
            Report(byActivation[0], "seed 004: moons, 3 tanh units", []);
            Report(deep[3].Run, "seed 004: spiral, 2 → 16 → 16 → 16 tanh with L2 λ = 0.01", []);
        }

        private static double SumOfSquaredWeights(Sequential<float> model) =>
            model.NamedParameters.Where(p => p.Name.EndsWith("weight", StringComparison.Ordinal)).Sum(p => p.Parameter.Value.Span.ToArray().Sum(x => (double)x * x));

        private static Figure Boundaries(string title, IReadOnlyList<Run> runs, IReadOnlyList<string> titles, int columns)
        {
            var figure = new Figure(columns) { Title = title };
            for (int i = 0; i < runs.Count; i++)
            {
                var panel = RunFigures.Boundary(runs[i].Model, runs[i].Architecture, runs[i].Train, titles[i], resolution: 100);
                panel.Width = 340;
                panel.Height = 330;
                figure.Add(panel);
            }
            return figure;
        }

        // ───────────────────────────── shared ─────────────────────────────

        /// <summary>Trains <paramref name="architecture"/> from fresh weights (seeded by the recipe) and evaluates it.</summary>
        private Run Fit(string name, Architecture architecture, Dataset<float> train, Dataset<float>? validation, Dataset<float>? test, Recipe recipe)
        {
            var model = architecture.Build<float>(recipe.Init ?? GaussianInitializer.XavierNormal, new Rng(recipe.Seed));
            var loss = architecture.CreateLoss<float>();
            var callbacks = new List<ITrainingCallback<float>>();
            var testCurve = recipe.TestCurve && test is not null ? new EpochEvaluation<float>(test, loss) : null;
            if (testCurve is not null)
                callbacks.Add(testCurve);
            if (recipe.Patience is { } patience)
                callbacks.Add(new EarlyStopping<float>(patience));
            double rate = recipe.Optimizer.LearningRate; // before a schedule changes it
            var watch = Stopwatch.StartNew();
            var history = new Trainer<float>(model, loss, recipe.Optimizer).Fit(train, new TrainingOptions<float>
            {
                Epochs = recipe.Epochs,
                BatchSize = recipe.BatchSize,
                Seed = recipe.Seed,
                Validation = validation,
                RecordParameters = recipe.RecordParameters,
                Schedule = recipe.Schedule ?? LearningRateSchedule.Constant,
                Callbacks = callbacks,
            });
            var run = new Run(name, architecture, model, history, train, validation, test, testCurve, watch.Elapsed.TotalSeconds);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(name.Length > 0 ? name : RunDescription.Network(architecture))} [{train.Name}, lr {rate}]: {history.Epochs.Count} epochs in {run.Seconds:0.0} s, train accuracy {Acc(run.OnTrain)}{(run.OnTest is { } t ? $", test accuracy {Acc(t)}" : "")}"));
            return run;
        }

        private void Report(Run run, string title, IReadOnlyList<KeyValuePair<string, string>> extra)
        {
            var optimizer = run.History.Epochs.Count > 0 ? run.History.Epochs[0].LearningRate.ToString("G6", CultureInfo.InvariantCulture) : "";
            new RunReport<float>(run.Architecture, run.Model, run.History, run.Train)
            {
                Title = title,
                Command = $"nabla example {Path.GetFileName(Path.GetFullPath(directory))}{(quick ? " --quick" : "")}",
                Validation = run.Validation,
                Test = run.Test,
                TestCurve = run.TestCurve,
                Settings = [new("learning rate", optimizer), new("epochs run", N(run.History.Epochs.Count)), new("training time", F1(run.Seconds) + " s")],
                ExtraMetrics = extra,
            }.Write(Path.Combine(directory, "runs", run.Name));
        }

        private static LineChart Curves(string title, string yLabel, Run seedFlags, Run tuned, Func<Run, IReadOnlyList<double>> values) =>
            Compact(new LineChart { Title = title, XLabel = "epoch", YLabel = yLabel }
                .Add("seed's flags (lr 0.001)", values(seedFlags), firstX: 1).Add("tuned (lr 0.1, momentum 0.9)", values(tuned), firstX: 1));

        /// <summary>A chart thinned for committing: a few hundred points per series still draw the same curve at this size.</summary>
        private static LineChart Compact(LineChart chart)
        {
            chart.MaxPointsPerSeries = 300;
            return chart;
        }

        private static Figure Compact(Figure figure)
        {
            foreach (var panel in figure.Panels.OfType<LineChart>())
                panel.MaxPointsPerSeries = 200;
            return figure;
        }

        private void Save(string name, ISvgFigure figure)
        {
            string path = Path.Combine(Figures, name + ".svg");
            figure.Save(path);
            context.Out.WriteLine($"  wrote {path}");
        }

        public void Finish(string example)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"Total time: {clock.Elapsed.TotalSeconds:0} s ({Environment.ProcessorCount} cores){(quick ? "; --quick run, the numbers mean nothing" : "")}."));
            string path = Path.Combine(directory, "results.md");
            AtomicFile.WriteText(path, markdown.ToString());
            context.Out.WriteLine($"Example {example}: wrote {path}, {Figures}/ and {Path.Combine(directory, "runs")}/.");
        }

        private void Heading(string text)
        {
            markdown.Append("# ").Append(text).Append("\n\n");
            context.Out.WriteLine(text);
        }

        private void Line(string text)
        {
            markdown.Append(text).Append("\n\n");
            context.Out.WriteLine(text);
        }

        private void Table(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
        {
            var table = new StringBuilder().Append("**").Append(caption).Append("**\n\n| ").AppendJoin(" | ", header).Append(" |\n|")
                .AppendJoin("|", header.Select(_ => "---")).Append("|\n");
            foreach (var row in rows)
                table.Append("| ").AppendJoin(" | ", row).Append(" |\n");
            markdown.Append(table).Append('\n');
            context.Out.Write(table.Append('\n'));
        }

        // ───────────────────────────── numbers ─────────────────────────────

        /// <summary>
        /// The Bayes-optimal accuracy of seed 000's two Gaussians, ∫ max(½p₀, ½p₁) dx by the midpoint
        /// rule on [−3, 5]² with step <paramref name="h"/> (the mass outside is below 1e-9).
        /// </summary>
        private static double BayesOptimalGaussians(double h)
        {
            int steps = (int)(8 / h);
            static double Density(double x, double y, double mu, double sigma) =>
                Math.Exp(-((x - mu) * (x - mu) + (y - mu) * (y - mu)) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
            double sum = 0;
            for (int i = 0; i < steps; i++)
                for (int j = 0; j < steps; j++)
                {
                    double x = -3 + (i + 0.5) * h, y = -3 + (j + 0.5) * h;
                    sum += Math.Max(Density(x, y, 1, 0.5), Density(x, y, 2, 0.2));
                }
            return 0.5 * sum * h * h;
        }

        private static double MaxParameterChange(History history)
        {
            double[] first = history.ParameterValues[0], last = history.ParameterValues[^1];
            return first.Zip(last, (a, b) => Math.Abs(b - a)).Max();
        }

        private static Dataset<float> Scaled(Dataset<float> data, Scaling scaling) =>
            new(scaling.Apply(data.Features), data.Labels!, data.ClassNames!, data.Name);

        private static int[] Range(int count) => [.. Enumerable.Range(0, count)];

        private static int BestEpochNumber(History history) => history.BestEpoch ?? history.Epochs.Count;

        private static string Acc(EvaluationResult result) => F4(result.Accuracy ?? double.NaN);

        private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string G(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

        private static string F1(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

        private static string F4(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

        private static string F6(double value) => value.ToString("0.000000", CultureInfo.InvariantCulture);
    }
}
