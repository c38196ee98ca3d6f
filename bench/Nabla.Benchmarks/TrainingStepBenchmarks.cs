using BenchmarkDotNet.Attributes;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Benchmarks;

/// <summary>
/// A whole training step (forward, cross-entropy, backward, SGD update) of the benchmark workloads:
/// mlp-sigmoid at batch 64 and mlp-relu-wide at batch 128. Allocated bytes should read 0.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Trainer<float> _trainer = null!;
    private Matrix<float> _x = null!, _y = null!;

    /// <summary>Which workload's network.</summary>
    [Params("mlp-sigmoid", "mlp-relu-wide")]
    public string Workload { get; set; } = "mlp-sigmoid";

    /// <summary>Value of <see cref="Parallelism.MaxThreads"/>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the network, optimizer and one batch of random inputs with one-hot targets.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        bool sigmoid = Workload == "mlp-sigmoid";
        var arch = Architecture.Mlp(784, sigmoid ? [256, 64] : [1000], 10, sigmoid ? "sigmoid" : "relu", "cross-entropy",
            [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var model = arch.Build<float>(GaussianInitializer.LecunNormal, new Rng(0));
        IOptimizer<float> optimizer = sigmoid ? new Sgd<float>(0.1) : new Sgd<float>(0.01, momentum: 0.9);
        _trainer = new Trainer<float>(model, arch.CreateLoss<float>(), optimizer);
        (_x, _y) = RandomBatch(sigmoid ? 64 : 128, 784, 10);
    }

    /// <summary>One step: forward, loss, backward, update.</summary>
    [Benchmark]
    public double TrainStep() => _trainer.TrainStep(_x, _y);

    /// <summary>A batch of inputs in [0, 1) with one-hot targets cycling through the classes.</summary>
    public static (Matrix<float> X, Matrix<float> Y) RandomBatch(int rows, int features, int classes)
    {
        var rng = new Random(42);
        var x = new Matrix<float>(rows, features);
        var span = x.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = rng.NextSingle();
        var y = new Matrix<float>(rows, classes);
        for (int i = 0; i < rows; i++)
            y[i, i % classes] = 1;
        return (x, y);
    }
}
