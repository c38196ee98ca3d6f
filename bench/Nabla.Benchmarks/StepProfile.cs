using System.Diagnostics;
using System.Globalization;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Benchmarks;

/// <summary>
/// Where a training step's time goes: each part of an mlp-sigmoid (batch 64), mlp-relu-wide
/// (batch 128), tiny-gaussians (batch 1,000), cnn-letters (batch 32) and cnn-mnist (batch 50) step timed on its own,
/// best of several interleaved rounds, next to the whole step.
/// A quick profile for the noisy shared host; BenchmarkDotNet gives the careful figures. On one thread the times are
/// the thread's CPU time (<see cref="ThreadClock"/>), which the other tenants of a loaded host do not inflate.
/// </summary>
public static class StepProfile
{
    private const int Rounds = 7;

    /// <summary>Seconds on the clock the profile reads: the thread's CPU time on one thread, wall time otherwise.</summary>
    private static double Now() => Parallelism.MaxThreads == 1 ? ThreadClock.Seconds() : Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    /// <summary>Prints the profile of the training workloads (<paramref name="which"/>: <c>mlp</c>, <c>cnn</c> or both); each part runs for about <paramref name="seconds"/> per round.</summary>
    public static void Run(double seconds, string which = "all")
    {
        if (which is "all" or "mlp")
        {
            Profile("mlp-sigmoid", Mlp(784, [256, 64], 10, "sigmoid", "cross-entropy"), 64, new Sgd<float>(0.1), seconds);
            Profile("mlp-relu-wide", Mlp(784, [1000], 10, "relu", "cross-entropy"), 128, new Sgd<float>(0.01, momentum: 0.9), seconds);
            Profile("tiny-gaussians", Mlp(2, [2], 2, "tanh", "mse+cross-entropy"), 1000, new Sgd<float>(0.1), seconds);
        }
        if (which is "all" or "cnn")
        {
            Profile("cnn-letters", CnnWorkloads.Letters, 32, new Adam<float>(1e-4), seconds);
            Profile("cnn-mnist", CnnWorkloads.Mnist, 50, new Adam<float>(1e-4), seconds);
        }
    }

    private static Architecture Mlp(int features, int[] hidden, int classes, string activation, string loss) =>
        Architecture.Mlp(features, hidden, classes, activation, loss, [.. Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture))]);

    private static void Profile(string name, Architecture arch, int batch, IOptimizer<float> optimizer, double seconds)
    {
        var model = arch.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        var loss = arch.CreateLoss<float>();
        var trainer = new Trainer<float>(model, loss, optimizer);
        var (x, y) = TrainingStepBenchmarks.RandomBatch(batch, arch.Inputs, arch.Outputs);
        var layers = model.Layers;
        var inputs = new Matrix<float>[layers.Count];
        var grads = new Matrix<float>[layers.Count + 1];
        var parts = new List<(string Name, Action Run)>();
        // Record each layer's input and output gradient once, so each part can be replayed alone.
        var h = x;
        for (int i = 0; i < layers.Count; i++)
        {
            inputs[i] = h.Clone();
            h = layers[i].Forward(h, true);
        }
        loss.Forward(h, y);
        grads[layers.Count] = loss.Backward().Clone();
        for (int i = layers.Count - 1; i >= 0; i--)
            grads[i] = layers[i].Backward(grads[i + 1]).Clone();
        var logits = h.Clone();
        for (int i = 0; i < layers.Count; i++)
        {
            int l = i;
            parts.Add(($"forward {l} {layers[l]}", () => layers[l].Forward(inputs[l], true)));
        }
        parts.Add(("loss forward+backward", () => { loss.Forward(logits, y); loss.Backward(); }));
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            int l = i;
            // The trainer skips the first layer's input gradient; so does this row.
            Action backward = l == 0
                ? () => layers[0].BackwardParameters(grads[1])
                : () => layers[l].Backward(grads[l + 1]);
            parts.Add(($"backward {l} {layers[l]}", () => { layers[l].Forward(inputs[l], true); backward(); }));
        }
        parts.Add(("zero gradients", model.ZeroGradients));
        parts.Add(("optimizer step", () => optimizer.Step(model.Parameters)));
        parts.Add(("whole TrainStep", () => trainer.TrainStep(x, y)));
        var best = parts.ToDictionary(p => p.Name, _ => double.MaxValue);
        for (int round = 0; round < Rounds; round++)
            foreach (var (partName, run) in parts)
            {
                run();
                long calls = 0;
                double start = Now(), elapsed;
                do
                {
                    run();
                    calls++;
                    elapsed = Now() - start;
                }
                while (elapsed < seconds);
                best[partName] = Math.Min(best[partName], elapsed * 1e6 / calls);
            }
        var inStep = TimeWithinSteps(model, loss, optimizer, x, y, seconds * Rounds * parts.Count);
        Console.WriteLine($"{name}, batch {batch}, {Parallelism.MaxThreads} thread(s){(Parallelism.MaxThreads == 1 ? ", CPU time" : "")}: best µs per call alone (backward rows include their layer's forward), and mean µs within whole steps");
        foreach (var (partName, _) in parts)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {partName,-32} {best[partName],9:F1}"));
        foreach (var (partName, micros) in inStep)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  within steps: {partName,-24} {micros,9:F1}"));
    }

    /// <summary>
    /// Runs whole steps (the trainer's sequence, finiteness check aside) for about
    /// <paramref name="seconds"/> and returns the mean time of each phase within them: a part timed
    /// alone finds its data in cache, which it does not within a step.
    /// </summary>
    private static List<(string Name, double Micros)> TimeWithinSteps(Sequential<float> model, ILoss<float> loss, IOptimizer<float> optimizer,
        Matrix<float> x, Matrix<float> y, double seconds)
    {
        var layers = model.Layers;
        var names = new List<string> { "zero gradients" };
        names.AddRange(layers.Select(l => $"forward {l}"));
        names.Add("loss");
        names.AddRange(layers.Reverse().Select(l => $"backward {l}"));
        names.Add("optimizer step");
        names.Add("whole step");
        var ticks = new double[names.Count];
        long steps = 0;
        double begin = Now();
        while (Now() - begin < seconds || steps < 10)
        {
            int k = 0;
            double start = Now(), last = start;
            void Lap()
            {
                double now = Now();
                ticks[k++] += now - last;
                last = now;
            }
            model.ZeroGradients();
            Lap();
            var h = x;
            foreach (var layer in layers)
            {
                h = layer.Forward(h, true);
                Lap();
            }
            loss.Forward(h, y);
            var g = loss.Backward();
            Lap();
            for (int i = layers.Count - 1; i >= 0; i--)
            {
                if (i == 0)
                    layers[0].BackwardParameters(g);
                else
                    g = layers[i].Backward(g);
                Lap();
            }
            optimizer.Step(model.Parameters);
            Lap();
            ticks[k] += last - start;
            steps++;
        }
        return [.. names.Select((n, i) => (n, ticks[i] * 1e6 / steps))];
    }
}
