namespace Nabla.Cli.Bench;

/// <summary>
/// One workload's measurement. <see cref="Seconds"/> covers the timed loop only (data loaded, code
/// warmed up); <see cref="AllocatedBytes"/> is what that loop allocated on the calling thread.
/// </summary>
/// <param name="Workload">The workload's name.</param>
/// <param name="Samples">Samples processed in the timed loop (training samples, or calls for inference).</param>
/// <param name="Steps">Optimizer steps (or calls for inference).</param>
/// <param name="Seconds">Wall time of the timed loop.</param>
/// <param name="FlopsPerSample">FLOPs one sample costs, as WORKLOADS.md counts them.</param>
/// <param name="PeakGflops">The machine's measured GEMM peak the fraction is taken of.</param>
/// <param name="Accuracy">Accuracy reached, on <paramref name="AccuracyOn"/>.</param>
/// <param name="AccuracyOn"><c>test</c> (Fashion-MNIST's 10,000 test images) or <c>train</c> (the Gaussians' points).</param>
/// <param name="AllocatedBytes">Bytes allocated by the timed loop.</param>
internal sealed record BenchResult(string Workload, long Samples, long Steps, double Seconds, double FlopsPerSample,
    double PeakGflops, double Accuracy, string AccuracyOn, long AllocatedBytes)
{
    /// <summary>Samples per second.</summary>
    public double SamplesPerSecond => Samples / Seconds;

    /// <summary>Optimizer steps (or calls) per second.</summary>
    public double StepsPerSecond => Steps / Seconds;

    /// <summary>Microseconds per step (per call for inference).</summary>
    public double MicrosecondsPerStep => Seconds / Steps * 1e6;

    /// <summary>Achieved GFLOP/s.</summary>
    public double Gflops => SamplesPerSecond * FlopsPerSample / 1e9;

    /// <summary>Fraction of <see cref="PeakGflops"/> achieved.</summary>
    public double PeakFraction => Gflops / PeakGflops;
}
