using System.Diagnostics;
using System.Globalization;
using Nabla.Tensors;

namespace Nabla.Benchmarks;

/// <summary>
/// A quick GFLOP/s harness for the shared, noisy host: every shape and thread count is timed in
/// several interleaved rounds and the best and median round are printed as a markdown table. It
/// complements BenchmarkDotNet, which takes minutes per shape.
/// </summary>
public static class GemmThroughput
{
    private const int Rounds = 7;

    /// <summary><c>C = op(A)·op(B)</c> for <paramref name="shape"/>, operands packed densely.</summary>
    public static void Multiply(GemmShape shape, float[] a, float[] b, float[] c) =>
        Gemm.Multiply<float>(shape.M, shape.N, shape.K,
            a, shape.TransposeA ? shape.M : shape.K, shape.TransposeA,
            b, shape.TransposeB ? shape.K : shape.N, shape.TransposeB,
            c, shape.N, false);

    /// <summary>
    /// Prints GFLOP/s per CPU second of one thread (<see cref="ThreadClock"/>) for the shapes whose name contains
    /// <paramref name="filter"/>: best and median of interleaved rounds of about <paramref name="seconds"/> CPU each.
    /// </summary>
    public static void RunCpu(double seconds, string filter)
    {
        Parallelism.MaxThreads = 1;
        var shapes = GemmShape.All.Where(s => s.Name.Contains(filter, StringComparison.Ordinal)).ToArray();
        var data = shapes.ToDictionary(s => s, Operands);
        var results = shapes.ToDictionary(s => s, _ => new List<double>());
        for (int round = 0; round < Rounds; round++)
            foreach (var shape in shapes)
            {
                var (a, b, c) = data[shape];
                Multiply(shape, a, b, c);
                long calls = 0;
                double start = ThreadClock.Seconds(), elapsed;
                do
                {
                    Multiply(shape, a, b, c);
                    calls++;
                    elapsed = ThreadClock.Seconds() - start;
                }
                while (elapsed < seconds);
                results[shape].Add(shape.Flops * calls / elapsed / 1e9);
            }
        Console.WriteLine("| shape M×K×N | 1 thread CPU best | 1 thread CPU median |");
        Console.WriteLine("|---|---|---|");
        foreach (var shape in shapes)
        {
            var one = results[shape].Order().ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {shape.Name} | {one[^1]:F0} | {one[Rounds / 2]:F0} |"));
        }
    }

    private static (float[] A, float[] B, float[] C) Operands(GemmShape s)
    {
        var rng = new Random(42);
        return (Enumerable.Range(0, s.M * s.K).Select(_ => rng.NextSingle() * 2 - 1).ToArray(),
            Enumerable.Range(0, s.K * s.N).Select(_ => rng.NextSingle() * 2 - 1).ToArray(),
            new float[s.M * s.N]);
    }

    /// <summary>Prints the table; each round times each case for about <paramref name="seconds"/>.</summary>
    public static void Run(double seconds)
    {
        var cases = GemmShape.All.SelectMany(s => new[] { (Shape: s, Threads: 1), (Shape: s, Threads: 2) }).ToArray();
        var data = GemmShape.All.ToDictionary(s => s, Operands);
        var results = cases.ToDictionary(c => c, _ => new List<double>());
        for (int round = 0; round < Rounds; round++)
            foreach (var (shape, threads) in cases)
            {
                Parallelism.MaxThreads = threads;
                var (a, b, c) = data[shape];
                Multiply(shape, a, b, c); // warm: JIT, worker start, buffers
                long calls = 0;
                var watch = Stopwatch.StartNew();
                do
                {
                    Multiply(shape, a, b, c);
                    calls++;
                }
                while (watch.Elapsed.TotalSeconds < seconds);
                results[(shape, threads)].Add(shape.Flops * calls / watch.Elapsed.TotalSeconds / 1e9);
            }
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("| shape M×K×N | 1 thread best | 1 thread median | 2 threads best | 2 threads median |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var shape in GemmShape.All)
        {
            var one = results[(shape, 1)].Order().ToArray();
            var two = results[(shape, 2)].Order().ToArray();
            Console.WriteLine(string.Create(inv,
                $"| {shape.Name} | {one[^1]:F0} | {one[Rounds / 2]:F0} | {two[^1]:F0} | {two[Rounds / 2]:F0} |"));
        }
    }
}
