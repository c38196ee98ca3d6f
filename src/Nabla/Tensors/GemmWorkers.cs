using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Nabla.Tensors;

/// <summary>
/// Persistent worker threads for <see cref="GemmFloat"/>. A handoff costs under a microsecond where
/// <c>Parallel.For</c> costs 3–5 µs, which is what makes two threads pay on 2 MFLOP products.
/// </summary>
/// <remarks>
/// A product is cut into <see cref="GemmJob.Parts"/> fixed parts (a few per thread), and every
/// thread, the caller included, claims parts one at a time until none is left. So a worker the
/// scheduler has not run yet (a busy machine) costs nothing: the caller takes its parts. Which
/// thread computes a part never changes how, so the bits do not depend on it. After its last
/// part a worker spins for <see cref="SpinTime"/> so the next product of a training step finds it
/// awake, then blocks so an idle process burns no core. One product runs on the workers at a time;
/// a concurrent caller computes its product alone, which gives the same bits.
/// </remarks>
internal static class GemmWorkers
{
    private static readonly long SpinTime = Stopwatch.Frequency / 10_000; // 100 µs
    private static readonly object s_growLock = new();
    private static Worker[] s_workers = [];
    private static GemmJob s_job;
    private static int s_busy;
    private static int s_generation;
    /// <summary>The running product's generation (high 32 bits) and its next unclaimed part (low 32 bits).</summary>
    private static long s_claim;
    private static int s_done;
    private static Exception? s_error;

    /// <summary>
    /// Runs every part of <paramref name="job"/> on the caller and up to <see cref="GemmJob.Threads"/>
    /// − 1 workers, and returns after all have finished; false (nothing run) when another product
    /// holds the workers.
    /// </summary>
    public static bool TryRun(in GemmJob job)
    {
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
            return false;
        try
        {
            var workers = EnsureWorkers(job.Threads - 1);
            s_job = job;
            s_error = null;
            s_done = 0;
            int generation = ++s_generation;
            // Publishing the claim word releases the writes above to whoever claims a part.
            Volatile.Write(ref s_claim, (long)generation << 32);
            for (int t = 1; t < job.Threads; t++)
                workers[t - 1].Start(generation, job.Parts);
            RunParts(generation, job.Parts);
            // Always wait: the workers hold pointers into the caller's pinned spans.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_done) != job.Parts)
                spin.SpinOnce(sleep1Threshold: -1);
            if (s_error is { } error)
                ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
        return true;
    }

    /// <summary>Claims and runs parts of product <paramref name="generation"/> until none is left (or it is over).</summary>
    private static void RunParts(int generation, int parts)
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            int part = (int)(claim & uint.MaxValue);
            // A late worker finds another generation and leaves; a claimed part keeps its product running.
            if ((int)(claim >> 32) != generation || part >= parts)
                return;
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim)
                continue;
            try
            {
                GemmFloat.RunPart(in s_job, part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, e, null);
            }
            Interlocked.Increment(ref s_done);
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        var workers = s_workers;
        if (workers.Length >= count)
            return workers;
        lock (s_growLock)
        {
            workers = s_workers;
            if (workers.Length < count)
            {
                var grown = new Worker[count];
                workers.CopyTo(grown, 0);
                for (int t = workers.Length; t < count; t++)
                    grown[t] = new Worker(t + 1);
                s_workers = workers = grown;
            }
            return workers;
        }
    }

    private sealed class Worker
    {
        private readonly object _gate = new();
        private int _requested;
        private int _parts;

        public Worker(int index) =>
            new Thread(Loop) { IsBackground = true, Name = $"Nabla GEMM worker {index}" }.Start();

        /// <summary>Asks the worker to help with product <paramref name="generation"/> of <paramref name="parts"/> parts.</summary>
        public void Start(int generation, int parts)
        {
            lock (_gate)
            {
                _parts = parts;
                Volatile.Write(ref _requested, generation);
                Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTime;
                while (Volatile.Read(ref _requested) == seen)
                {
                    if (Stopwatch.GetTimestamp() < deadline)
                    {
                        Thread.SpinWait(20);
                        continue;
                    }
                    lock (_gate)
                    {
                        while (_requested == seen)
                            Monitor.Wait(_gate);
                    }
                }
                // A newer Start may pair this generation with its part count; RunParts then finds
                // the generation over and returns at once.
                seen = Volatile.Read(ref _requested);
                RunParts(seen, Volatile.Read(ref _parts));
            }
        }
    }
}
