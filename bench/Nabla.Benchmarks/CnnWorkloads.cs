using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Benchmarks;

/// <summary>
/// The two CNN workloads of <c>../shared/bench/WORKLOADS.md</c> as <c>peers.py</c> runs them in PyTorch: one epoch of
/// Adam 1e-4 over the first 10,000 (cnn-letters, batch 32) or 5,000 (cnn-mnist, batch 50) Fashion-MNIST training
/// images, reshuffled, timing the training loop only; then the test accuracy. Until <c>nabla bench</c> runs them.
/// </summary>
public static class CnnWorkloads
{
    /// <summary>Seed 002 part 2's network on 1×28×28 images.</summary>
    public static Architecture Letters { get; } = Network("Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10)");

    /// <summary>Seed 004 part 2's network on 1×28×28 images.</summary>
    public static Architecture Mnist { get; } = Network(
        "Conv2d(32, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(64, 5, padding=2), ReLU, MaxPool2d(2), Flatten, Linear(1024), ReLU, Dropout(0.5), Linear(10)");

    /// <summary>Runs both workloads <paramref name="rounds"/> times, alternating, and prints samples/s and test accuracy of each run.</summary>
    public static void Run(int rounds)
    {
        var catalog = new DatasetCatalog();
        var train = catalog.Load<float>("fashion-mnist");
        var test = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
        for (int round = 0; round < rounds; round++)
        {
            Time("cnn-letters", Letters, train, test, samples: 10_000, batch: 32);
            Time("cnn-mnist", Mnist, train, test, samples: 5_000, batch: 50);
        }
    }

    private static void Time(string name, Architecture architecture, Dataset<float> train, Dataset<float> test, int samples, int batch)
    {
        var data = train.Subset([.. Enumerable.Range(0, samples)]);
        var model = architecture.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), new Adam<float>(1e-4));
        // Warm-up on a few batches of a throwaway copy (the JIT, the buffers), as peers.py warms torch up.
        var warm = architecture.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        new Trainer<float>(warm, architecture.CreateLoss<float>(), new Adam<float>(1e-4))
            .Fit(train.Subset([.. Enumerable.Range(0, 5 * batch)]), new TrainingOptions<float> { Epochs = 1, BatchSize = batch });
        var clock = Stopwatch.StartNew();
        trainer.Fit(data, new TrainingOptions<float> { Epochs = 1, BatchSize = batch, Seed = 1 });
        clock.Stop();
        double accuracy = Evaluation.Run(model, trainer.Loss, test).Accuracy ?? double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"peer\": \"nabla\", \"workload\": \"{name}\", \"threads\": {Parallelism.MaxThreads}, \"samples_per_s\": {samples / clock.Elapsed.TotalSeconds:F1}, \"seconds\": {clock.Elapsed.TotalSeconds:F3}, \"test_accuracy\": {accuracy:F4}}}"));
    }

    private static Architecture Network(string network) => Architecture.FromLayers(SampleShape.Image(1, 28, 28), NetworkSpelling.Parse(network), "cross-entropy",
        [.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
}
