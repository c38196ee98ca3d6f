using BenchmarkDotNet.Attributes;
using Nabla.Tensors;

namespace Nabla.Benchmarks;

/// <summary>
/// <see cref="Gemm.Multiply{T}(int, int, int, ReadOnlySpan{T}, int, bool, ReadOnlySpan{T}, int, bool, Span{T}, int, bool)"/>
/// on float32 at the workload shapes, with 1 and 2 threads. Allocated bytes should read 0.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>The product's shape.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    /// <summary>Value of <see cref="Parallelism.MaxThreads"/>.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The shapes, for BenchmarkDotNet.</summary>
    public static IEnumerable<GemmShape> Shapes => GemmShape.All;

    /// <summary>Fills A and B with values in [-1, 1).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = Enumerable.Range(0, Shape.M * Shape.K).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        _b = Enumerable.Range(0, Shape.K * Shape.N).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        _c = new float[Shape.M * Shape.N];
        Parallelism.MaxThreads = Threads;
    }

    /// <summary>One product, <c>C = op(A)·op(B)</c>.</summary>
    [Benchmark]
    public void Multiply() => GemmThroughput.Multiply(Shape, _a, _b, _c);
}
