using System.Diagnostics;
using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;

namespace Nabla.Cli.Bench;

/// <summary>How much of each workload to run: the full definition, or a few seconds' worth for tests.</summary>
/// <param name="TrainLimit">Use only the first this many Fashion-MNIST training images (null: all 60,000).</param>
/// <param name="TestLimit">Evaluate on only the first this many test images (null: all 10,000).</param>
/// <param name="StepLimit">Cap on tiny-gaussians' steps and infer-batch1's calls (null: the workload's count).</param>
/// <param name="CnnLimit">Cap on the convolutional workloads' training images (null: the workload's count).</param>
internal sealed record BenchSettings(int? TrainLimit, int? TestLimit, int? StepLimit, int? CnnLimit)
{
    /// <summary>The workloads as WORKLOADS.md defines them.</summary>
    public static BenchSettings Full { get; } = new(null, null, null, null);

    /// <summary>A smoke run: every code path, a small fraction of the work.</summary>
    public static BenchSettings Quick { get; } = new(10_000, 1000, 300, 400);
}

/// <summary>
/// Runs the benchmark workloads the way a user would: <see cref="Trainer{T}.Fit"/> for mini-batch
/// training (shuffling and batch gathering included), <see cref="Trainer{T}.TrainStep"/> for full-batch
/// steps, <see cref="Predictor{T}"/> for single predictions. Only the loop is timed; loading, a short
/// warm-up that lets the JIT compile the hot paths, and the accuracy check are not.
/// </summary>
internal sealed class BenchRunner(BenchSettings settings)
{
    private Dataset<float>? _train, _test;
    private Sequential<float>? _sigmoidModel;

    /// <summary>Runs <paramref name="workload"/>; <paramref name="peakGflops"/> is the GEMM peak to compare against.</summary>
    public BenchResult Run(BenchWorkload workload, double peakGflops) => workload.Kind switch
    {
        BenchKind.FashionTraining => RunFashion(workload, peakGflops),
        BenchKind.GaussianSteps => RunGaussians(workload, peakGflops),
        BenchKind.FashionCnn => RunCnn(workload, peakGflops),
        _ => RunInference(workload, peakGflops),
    };

    private BenchResult RunFashion(BenchWorkload w, double peak)
    {
        var (train, test) = LoadFashion();
        // Warm-up on a throwaway model so the timed run executes optimised code, as the peers' native code
        // does: tiered compilation promotes a method after 30 calls and a background compile, which a
        // busy machine delays; 100 steps (twice under --quick) let it finish first.
        for (int round = 0; round < 2; round++)
            Train(w, train.Subset(Enumerable.Range(0, Math.Min(train.Count, 50 * w.BatchSize)).ToArray()), out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = Train(w, train, out double seconds);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (w.Name == "mlp-sigmoid")
            _sigmoidModel = model;
        double accuracy = Evaluation.Run(model, CreateArchitecture(w).CreateLoss<float>(), test).Accuracy!.Value;
        long steps = (train.Count + w.BatchSize - 1) / w.BatchSize;
        return new BenchResult(w.Name, train.Count, steps, seconds, w.FlopsPerSample, peak, accuracy, "test", allocated);
    }

    /// <summary>One epoch of <paramref name="w"/> on <paramref name="train"/>; the seconds cover <see cref="Trainer{T}.Fit"/> alone.</summary>
    private static Sequential<float> Train(BenchWorkload w, Dataset<float> train, out double seconds)
    {
        var arch = CreateArchitecture(w);
        var model = arch.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        var trainer = new Trainer<float>(model, arch.CreateLoss<float>(), new Sgd<float>(w.LearningRate, w.Momentum));
        var options = new TrainingOptions<float> { Epochs = w.Count, BatchSize = w.BatchSize, Seed = 0, Shuffle = true };
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(train, options);
        seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return model;
    }

    /// <summary>
    /// One epoch of Adam over the first <see cref="BenchWorkload.Count"/> training images, reshuffled, as peers.py times
    /// PyTorch: after a warm-up on a throwaway model, the loop alone is timed. The warm-up is 40 batches rather than
    /// peers.py's five so tiered compilation has promoted the hot paths (after 30 calls) before the clock starts.
    /// </summary>
    private BenchResult RunCnn(BenchWorkload w, double peak)
    {
        var (train, test) = LoadFashion();
        var data = Limit(train, Math.Min(w.Count, settings.CnnLimit ?? w.Count));
        var arch = w.Architecture;
        TrainCnn(arch, w, Limit(train, Math.Min(data.Count, 40 * w.BatchSize)), seed: 0, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = TrainCnn(arch, w, data, seed: 1, out double seconds);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double accuracy = Evaluation.Run(model, arch.CreateLoss<float>(), test).Accuracy!.Value;
        long steps = (data.Count + w.BatchSize - 1) / w.BatchSize;
        return new BenchResult(w.Name, data.Count, steps, seconds, w.FlopsPerSample, peak, accuracy, "test", allocated);
    }

    /// <summary>One epoch of <paramref name="w"/>'s Adam on <paramref name="train"/>; the seconds cover <see cref="Trainer{T}.Fit"/> alone.</summary>
    private static Sequential<float> TrainCnn(Architecture arch, BenchWorkload w, Dataset<float> train, ulong seed, out double seconds)
    {
        var model = arch.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        var trainer = new Trainer<float>(model, arch.CreateLoss<float>(), new Adam<float>(w.LearningRate));
        var options = new TrainingOptions<float> { Epochs = 1, BatchSize = w.BatchSize, Seed = seed };
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(train, options);
        seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return model;
    }

    private BenchResult RunGaussians(BenchWorkload w, double peak)
    {
        var data = Synthetic.Gaussians<float>(w.BatchSize, seed: 0);
        int steps = Math.Min(w.Count, settings.StepLimit ?? w.Count);
        var arch = CreateArchitecture(w);
        var model = arch.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        var loss = arch.CreateLoss<float>();
        var trainer = new Trainer<float>(model, loss, new Sgd<float>(w.LearningRate, w.Momentum));
        // The warm-up steps (see RunFashion) count towards training but not towards the time.
        int warmUp = Math.Min(steps / 2, 200);
        for (int s = 0; s < warmUp; s++)
            trainer.TrainStep(data.Features, data.Targets);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int s = warmUp; s < steps; s++)
            trainer.TrainStep(data.Features, data.Targets);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        double accuracy = Evaluation.Run(model, loss, data).Accuracy!.Value;
        long timed = steps - warmUp;
        return new BenchResult(w.Name, timed * data.Count, timed, seconds, w.FlopsPerSample, peak, accuracy, "train", allocated);
    }

    private BenchResult RunInference(BenchWorkload w, double peak)
    {
        var (train, test) = LoadFashion();
        // The trained mlp-sigmoid network, so the accuracy of the single predictions shows they are right.
        var model = _sigmoidModel ??= Train(BenchWorkload.All[0], train, out _);
        var predictor = new Predictor<float>(model);
        int calls = Math.Min(w.Count, settings.StepLimit ?? w.Count);
        var features = test.Features;
        // Warm up until a round of calls allocates nothing (at most five rounds), so a one-time allocation that lands
        // late stays out of the timed loop while one made by every call still shows: a fresh-clone CI run saw 6,232
        // bytes once in 300 timed calls after a single 300-call round, with the test suite loading both cores (not
        // reproduced alone or with two benches at once; a 3-million-call loop allocates on its first call only).
        for (int round = 0; round < 5; round++)
        {
            long roundStart = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Math.Min(1000, calls); i++)
                predictor.PredictClass(features.Row(i % test.Count));
            if (round > 0 && GC.GetAllocatedBytesForCurrentThread() == roundStart)
                break;
        }
        int correct = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            int row = i % test.Count;
            if (predictor.PredictClass(features.Row(row)) == test.Labels![row])
                correct++;
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new BenchResult(w.Name, calls, calls, seconds, w.FlopsPerSample, peak, (double)correct / calls, "test", allocated);
    }

    private static Architecture CreateArchitecture(BenchWorkload w) =>
        Architecture.Mlp(w.Sizes[0], w.Sizes[1..^1], w.Sizes[^1], w.Activation, w.Loss,
            [.. Enumerable.Range(0, w.Sizes[^1]).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    private (Dataset<float> Train, Dataset<float> Test) LoadFashion()
    {
        if (_train is null || _test is null)
        {
            var catalog = new DatasetCatalog();
            _train = Limit(catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Train }), settings.TrainLimit);
            _test = Limit(catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test }), settings.TestLimit);
        }
        return (_train, _test);
    }

    private static Dataset<float> Limit(Dataset<float> data, int? limit) =>
        limit is { } n && n < data.Count ? data.Subset(Enumerable.Range(0, n).ToArray()) : data;
}
