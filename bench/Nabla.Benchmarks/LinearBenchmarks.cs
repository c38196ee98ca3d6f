using BenchmarkDotNet.Attributes;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Tensors;

namespace Nabla.Benchmarks;

/// <summary>
/// One dense layer's forward pass (<c>X·Wᵀ + b</c>) and backward pass (dW, db and dX) at the
/// workloads' shapes. Allocated bytes should read 0.
/// </summary>
[MemoryDiagnoser]
public class LinearBenchmarks
{
    private Linear<float> _layer = null!;
    private Matrix<float> _x = null!, _g = null!;

    /// <summary>Batch × inputs → outputs.</summary>
    [Params("64x784->256", "64x256->64", "64x64->10", "128x784->1000", "128x1000->10")]
    public string Shape { get; set; } = "64x784->256";

    /// <summary>Value of <see cref="Parallelism.MaxThreads"/>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the layer, a batch and an output gradient, and runs one forward pass.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        var parts = Shape.Split('x', '-', '>').Where(p => p.Length > 0).Select(int.Parse).ToArray();
        int batch = parts[0], inputs = parts[1], outputs = parts[2];
        _layer = new Linear<float>(inputs, outputs, GaussianInitializer.LecunNormal, new Rng(0));
        (_x, _) = TrainingStepBenchmarks.RandomBatch(batch, inputs, 1);
        (_g, _) = TrainingStepBenchmarks.RandomBatch(batch, outputs, 1);
        _layer.Forward(_x, training: true);
    }

    /// <summary><c>X·Wᵀ + b</c>.</summary>
    [Benchmark]
    public Matrix<float> Forward() => _layer.Forward(_x, training: true);

    /// <summary>dW += Gᵀ·X, db += Σ G, dX = G·W.</summary>
    [Benchmark]
    public Matrix<float> Backward() => _layer.Backward(_g);
}
