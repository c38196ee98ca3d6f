using System.Diagnostics;
using Nabla.Tensors;

namespace Nabla.Cli.Bench;

/// <summary>The machine's GEMM peak as the workloads see it: the best rate of a 1024³ float product.</summary>
internal static class GemmPeak
{
    /// <summary>Size of the square product measured.</summary>
    public const int Size = 1024;

    /// <summary>
    /// Runs <c>C = A·B</c> on <see cref="Size"/>³ floats for about <paramref name="seconds"/> (at
    /// least twice after a warm-up) with the current <see cref="Parallelism.MaxThreads"/>; returns the best
    /// product's GFLOP/s, the figure least disturbed by other processes.
    /// </summary>
    public static double Measure(double seconds)
    {
        var rng = new Random(42);
        var a = new Matrix<float>(Size, Size);
        var b = new Matrix<float>(Size, Size);
        var c = new Matrix<float>(Size, Size);
        foreach (var m in new[] { a, b })
        {
            var span = m.Span;
            for (int i = 0; i < span.Length; i++)
                span[i] = rng.NextSingle() * 2 - 1;
        }
        Gemm.Multiply(a, false, b, false, c);
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int run = 0; run < 2 || total.Elapsed.TotalSeconds < seconds; run++)
        {
            long start = Stopwatch.GetTimestamp();
            Gemm.Multiply(a, false, b, false, c);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return 2.0 * Size * Size * Size / best / 1e9;
    }
}
