namespace Nabla.Tensors;

/// <summary>
/// How many threads Nabla's parallel work may use: matrix products (<see cref="Gemm"/>, matrix–vector products),
/// the optimizers' updates and the finiteness checks of a training step all split their work over the same
/// pool of persistent workers, up to <see cref="MaxThreads"/> threads. Results do not depend on the setting:
/// which thread computes a part never changes how, so every thread count gives the same bits.
/// </summary>
public static class Parallelism
{
    private static int s_maxThreads = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>
    /// Most threads one operation may use, counting the caller's. Defaults to the processor count capped at 2: a
    /// product only gets a second thread above about 2 MFLOP (and one more per further MFLOP), and the
    /// neural-network shapes Nabla runs rarely pay for more. Extra threads are persistent background workers that
    /// spin for about 100 µs after each job, then block.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), $"Expected at least 1 thread; received {value}.");
            Volatile.Write(ref s_maxThreads, value);
        }
    }
}
