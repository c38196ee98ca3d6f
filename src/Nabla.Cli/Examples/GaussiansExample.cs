using System.Globalization;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Runs;
using Nabla.Training;
using static Nabla.Cli.Examples.Numbers;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example gaussians</c>, seeds 000 and 001: the 2-2-2 tanh network with MSE(softmax) + cross-entropy on two
/// Gaussians, full-batch gradient descent at the seeds' learning rate 1e-6 and at one that trains, a learning-rate
/// sweep, the Bayes-optimal accuracy, and seed 001's weight traces and decision boundary.
/// </summary>
internal static class GaussiansExample
{
    /// <summary>Runs the example into <paramref name="session"/>.</summary>
    public static void Run(ExampleSession session)
    {
        bool quick = session.Quick;
        session.Heading("gaussians — seeds 000 and 001: 2-2-2 tanh, softmax, MSE(softmax) + cross-entropy, full-batch gradient descent");
        const ulong seed = 10;
        var data = new DataRequest("gaussians", null, quick ? 200 : DataRequest.GaussiansTrainSamples, null, null, false, seed);
        var train = data.LoadTrain<float>();
        var test = data.LoadTest<float>()!;
        if (quick)
            test = test.Subset(Range(1000));
        double bayes = BayesOptimalGaussians(quick ? 0.02 : 0.004);
        int iterations = quick ? 50 : 2000;
        TrainingRunOptions Recipe(double rate, bool record = false) => new()
        {
            Train = train,
            Test = test,
            Network = NetworkSpelling.Parse("Linear(2), Tanh, Linear(2)"),
            Loss = "mse+cross-entropy",
            Optimizer = () => new Sgd<float>(rate),
            Epochs = iterations,
            Seed = seed,
            RecordParameters = record,
        };

        var flat = session.Fit("lr-1e-6", Recipe(1e-6, record: true));
        var trained = session.Fit("lr-0.5", Recipe(0.5, record: true));
        session.Table("The seeds' learning rate against one that trains (same data, same initial weights)",
            ["learning rate", "iterations", "loss at iteration 1", "final loss", "largest change of any weight", "test accuracy (10,000 points)"],
            [[G(1e-6), N(iterations), F6(flat.History.IterationLoss[0]), F6(flat.History.IterationLoss[^1]), G(MaxParameterChange(flat.History)), Acc(flat.OnTest!)],
             ["0.5", N(iterations), F6(trained.History.IterationLoss[0]), F6(trained.History.IterationLoss[^1]), G(MaxParameterChange(trained.History)), Acc(trained.OnTest!)]]);
        session.Line(string.Create(CultureInfo.InvariantCulture, $"Bayes-optimal accuracy (numerical integral of max(½p₀, ½p₁)): **{bayes:0.0000}**."));

        var rates = quick ? new[] { 1e-6, 0.5 } : [1e-6, 1e-4, 1e-2, 0.1, 0.5, 1, 2];
        var sweep = rates.Select(rate => session.Fit("", Recipe(rate))).ToList();
        session.Table($"Learning-rate sweep, {N(iterations)} full-batch iterations each",
            ["learning rate", "final training loss", "training accuracy", "test accuracy"],
            sweep.Select((r, i) => (IReadOnlyList<string>)[G(rates[i]), F6(r.History.IterationLoss[^1]), Acc(r.OnTrain), Acc(r.OnTest!)]));

        session.Save("data", RunFigures.Data(train, null, $"Training data, seed 10 ({N(train.Count)} points)"));
        session.Save("loss-per-iteration", new LineChart { Title = "Training loss per iteration", XLabel = "iteration", YLabel = "MSE(softmax) + cross-entropy", LogY = true, MaxPointsPerSeries = 300 }
            .Add("lr 1e-6 (the seeds')", flat.History.IterationLoss, firstX: 1).Add("lr 0.5", trained.History.IterationLoss, firstX: 1));
        session.Save("loss-lr-1e-6", new LineChart { Title = "Training loss per iteration at lr 1e-6 (zoomed in)", XLabel = "iteration", YLabel = "MSE(softmax) + cross-entropy", MaxPointsPerSeries = 300 }
            .Add("lr 1e-6", flat.History.IterationLoss, firstX: 1));
        session.Save("parameters-lr-1e-6", ExampleSession.Compact(RunFigures.Parameters(flat.History)!));
        session.Save("parameters-lr-0.5", ExampleSession.Compact(RunFigures.Parameters(trained.History)!));
        session.Save("decision-boundary", RunFigures.Boundary(trained.Model, trained.Architecture, trained.Train, $"Decision boundary after {N(iterations)} iterations at lr 0.5", 120));
        session.Report("lr-1e-6", flat, "seed 000/001 at the seeds' learning rate 1e-6", [new("Bayes-optimal accuracy", F4(bayes))]);
        session.Report("lr-0.5", trained, "seed 000/001 at learning rate 0.5", [new("Bayes-optimal accuracy", F4(bayes))]);
    }

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
}
