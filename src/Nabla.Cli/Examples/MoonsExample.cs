using Nabla.Data;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Runs;
using static Nabla.Cli.Examples.Numbers;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example moons</c>, seed 004: make_moons(200, noise 0.20), 2 → hidden → 2 softmax with cross-entropy and
/// L2, full-batch gradient descent, by activation (both readings of the handout's learning rate and λ), by hidden
/// size, and a deeper network on moons and a spiral with and without L2.
/// </summary>
internal static class MoonsExample
{
    /// <summary>Runs the example into <paramref name="session"/>.</summary>
    public static void Run(ExampleSession session)
    {
        bool quick = session.Quick;
        session.Heading("moons — seed 004: make_moons(200, noise 0.20), 2 → hidden → 2 softmax, cross-entropy + L2, full-batch gradient descent");
        var train = Synthetic.Moons<float>(200, 0.2, seed: 0);
        var test = Synthetic.Moons<float>(quick ? 200 : 2000, 0.2, seed: 1);
        int passes = quick ? 200 : 20000;
        session.Line($"The handout's `fit_model`: {N(passes)} full-batch passes, learning rate ε = 0.01, L2 λ = 0.01. Its gradient is summed over the 200 points (dW = aᵀδ, no 1/N) while Nabla's loss is the mean, " +
             "so the same steps are learning rate 0.01 × 200 = 2 and λ = 0.01 / 200 = 5e-5 here. Taking 0.01 and 0.01 literally on the mean loss takes 200 times smaller steps; both readings are measured. " +
             $"Test accuracy is on {N(test.Count)} fresh points from the same distribution.");
        TrainingRunOptions Recipe(Dataset<float> data, Dataset<float> held, string network, double rate, double lambda, int epochs) => new()
        {
            Train = data,
            Test = held,
            Network = NetworkSpelling.Parse(network),
            Loss = "cross-entropy",
            Optimizer = () => new Sgd<float>(rate, weightDecay: lambda),
            Epochs = epochs,
            Seed = 4,
        };
        static string Hidden(int units, string activation) => $"Linear({units}), {LayerSpec.Activation(activation).Kind}, Linear(2)";

        var activations = new[] { "tanh", "sigmoid", "relu" };
        var byActivation = activations.Select(a => session.Fit($"3-{a}", Recipe(train, test, Hidden(3, a), 2, 5e-5, passes))).ToList();
        var literal = activations.Select(a => session.Fit("", Recipe(train, test, Hidden(3, a), 0.01, 0.01, passes))).ToList();
        session.Table("3 hidden units, by activation", ["activation", "reading", "final training loss", "train accuracy", "test accuracy"],
            activations.SelectMany((a, i) => new IReadOnlyList<string>[]
            {
                [a, "summed gradient (lr 2, λ 5e-5)", F4(byActivation[i].History.IterationLoss[^1]), Acc(byActivation[i].OnTrain), Acc(byActivation[i].OnTest!)],
                [a, "literal (lr 0.01, λ 0.01 on the mean)", F4(literal[i].History.IterationLoss[^1]), Acc(literal[i].OnTrain), Acc(literal[i].OnTest!)],
            }));
        session.Save("activations", Boundaries("Decision boundary with 3 hidden units (lr 2, λ 5e-5 on the mean loss)", byActivation, activations, columns: 3));
        session.Save("activations-literal", Boundaries("The same with lr 0.01, λ 0.01 taken literally on the mean loss", literal, activations, columns: 3));

        int[] sizes = quick ? [1, 3] : [1, 2, 3, 5, 20, 50];
        var bySize = sizes.Select(h => session.Fit($"{h}-tanh", Recipe(train, test, Hidden(h, "tanh"), 2, 5e-5, passes))).ToList();
        session.Table("Hidden-size sweep with tanh", ["hidden units", "final training loss", "train accuracy", "test accuracy"],
            bySize.Select((r, i) => (IReadOnlyList<string>)[N(sizes[i]), F4(r.History.IterationLoss[^1]), Acc(r.OnTrain), Acc(r.OnTest!)]));
        session.Save("hidden-sizes", Boundaries("Decision boundary by hidden-layer size (tanh)", bySize, [.. sizes.Select(h => $"{h} hidden unit{(h == 1 ? "" : "s")}")], columns: 3));

        // The n-layer part: three tanh layers of 16, trained longer with a larger step, with and without L2.
        var spiral = Synthetic.Spiral<float>(300, 3, 0.1, seed: 0);
        var spiralTest = Synthetic.Spiral<float>(quick ? 300 : 3000, 3, 0.1, seed: 1);
        int deepEpochs = quick ? 200 : 10000;
        var deep = new List<(string Name, string Data, double Lambda, TrainingRunResult Run)>();
        foreach (var (name, data, held) in new[] { ("moons", train, test), ("spiral", spiral, spiralTest) })
            foreach (double lambda in new[] { 0.0, 0.01 })
            {
                string run = $"deep-{name}-l2-{G(lambda)}";
                deep.Add((run, name, lambda, session.Fit(run, Recipe(data, held, $"Linear(16), Tanh, Linear(16), Tanh, Linear(16), Tanh, Linear({data.ClassNames!.Count})", 0.05, lambda, deepEpochs))));
            }
        session.Table($"Deeper network 2 → 16 → 16 → 16 (tanh) → softmax, {N(deepEpochs)} full-batch passes at lr 0.05",
            ["data", "L2 λ", "ΣW² after training", "final training loss", "train accuracy", "test accuracy"],
            deep.Select(d => (IReadOnlyList<string>)[d.Data, G(d.Lambda), F1(SumOfSquaredWeights(d.Run.Model)), F4(d.Run.History.IterationLoss[^1]), Acc(d.Run.OnTrain), Acc(d.Run.OnTest!)]));
        session.Save("deep-l2", Boundaries("2 → 16 → 16 → 16 tanh, without and with L2", [.. deep.Select(d => d.Run)],
            [.. deep.Select(d => $"{d.Data}, λ = {G(d.Lambda)}")], columns: 2));
        session.Report("3-tanh", byActivation[0], "seed 004: moons, 3 tanh units", []);
        session.Report(deep[3].Name, deep[3].Run, "seed 004: spiral, 2 → 16 → 16 → 16 tanh with L2 λ = 0.01", []);
    }

    private static double SumOfSquaredWeights(Sequential<float> model) =>
        model.Parameters.Where(p => p.Role == ParameterRole.Weight).Sum(p => p.Value.Span.ToArray().Sum(x => (double)x * x));

    private static Figure Boundaries(string title, IReadOnlyList<TrainingRunResult> runs, IReadOnlyList<string> titles, int columns)
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
}
