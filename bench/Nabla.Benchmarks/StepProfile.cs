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
/// (batch 128) and tiny-gaussians (batch 1,000) step timed on its own, best of several interleaved rounds, next to the whole step.
/// A quick profile for the noisy shared host; BenchmarkDotNet gives the careful figures.
/// </summary>
public static class StepProfile
{
    private const int Rounds = 7;

    /// <summary>Prints the profile of the three training workloads; each part runs for about <paramref name="seconds"/> per round.</summary>
    public static void Run(double seconds)
    {
        Profile("mlp-sigmoid", 784, [256, 64], 10, "sigmoid", "cross-entropy", 64, new Sgd<float>(0.1), seconds);
        Profile("mlp-relu-wide", 784, [1000], 10, "relu", "cross-entropy", 128, new Sgd<float>(0.01, momentum: 0.9), seconds);
        Profile("tiny-gaussians", 2, [2], 2, "tanh", "mse+cross-entropy", 1000, new Sgd<float>(0.1), seconds);
    }

    private static void Profile(string name, int features, int[] hidden, int classes, string activation, string lossName, int batch,
        IOptimizer<float> optimizer, double seconds)
    {
        var arch = Architecture.Mlp(features, hidden, classes, activation, lossName, [.. Enumerable.Range(0, classes).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        var model = arch.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        var loss = arch.CreateLoss<float>();
        var trainer = new Trainer<float>(model, loss, optimizer);
        var (x, y) = TrainingStepBenchmarks.RandomBatch(batch, features, classes);
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
        if (loss is WeightedSum<float> sum)
            foreach (var (_, term) in sum.Terms)
                parts.Add(($"  term {term.Name}", () => { term.Forward(logits, y); term.Backward(); }));
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            int l = i;
            // The trainer skips the first layer's input gradient; so does this row.
            Action backward = l == 0 && layers[0] is Dense<float> first
                ? () => first.BackwardParameters(grads[1])
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
                var watch = Stopwatch.StartNew();
                do
                {
                    run();
                    calls++;
                }
                while (watch.Elapsed.TotalSeconds < seconds);
                best[partName] = Math.Min(best[partName], watch.Elapsed.TotalMicroseconds / calls);
            }
        Console.WriteLine($"{name}, batch {batch}, {Gemm.MaxThreads} thread(s): best µs per call (backward rows include their layer's forward)");
        foreach (var (partName, _) in parts)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {partName,-32} {best[partName],9:F1}"));
    }
}
