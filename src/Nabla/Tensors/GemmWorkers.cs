using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Nabla.Tensors;

/// <summary>
/// Persistent worker threads for <see cref="GemmFloat"/>. A handoff costs under a microsecond where
/// <c>Parallel.For</c> costs 3–5 µs, which is what makes two threads pay on 2 MFLOP products.
/// </summary>
/// <remarks>
/// After a part, a worker spins for <see cref="SpinTime"/> so the next product of a training step
/// finds it awake, then blocks so an idle process burns no core. One product runs on the workers at
/// a time; a concurrent caller computes its product alone, which gives the same bits.
/// </remarks>
internal static class GemmWorkers
{
    private static readonly long SpinTime = Stopwatch.Frequency / 10_000; // 100 µs
    private static readonly object s_growLock = new();
    private static Worker[] s_workers = [];
    private static GemmJob s_job;
    private static int s_busy;

    /// <summary>
    /// Runs every part of <paramref name="job"/>, part 0 on the calling thread, and returns after all
    /// have finished; false (nothing run) when another product holds the workers.
    /// </summary>
    public static bool TryRun(in GemmJob job)
    {
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
            return false;
        try
        {
            var workers = EnsureWorkers(job.Parts - 1);
            s_job = job;
            for (int t = 1; t < job.Parts; t++)
                workers[t - 1].Start();
            Exception? error = null;
            try
            {
                GemmFloat.RunPart(in s_job, 0);
            }
            catch (Exception e)
            {
                error = e;
            }
            // Always wait: the workers hold pointers into the caller's pinned spans.
            for (int t = 1; t < job.Parts; t++)
                error ??= workers[t - 1].Wait();
            if (error is not null)
                ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
        return true;
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
        private readonly int _part;
        private readonly object _gate = new();
        private int _requested;
        private int _completed;
        private Exception? _error;

        public Worker(int part)
        {
            _part = part;
            new Thread(Loop) { IsBackground = true, Name = $"Nabla GEMM worker {part}" }.Start();
        }

        public void Start()
        {
            lock (_gate)
            {
                _requested++;
                Monitor.Pulse(_gate);
            }
        }

        /// <summary>Waits for the part started last; returns the exception it threw, if any.</summary>
        public Exception? Wait()
        {
            int target = Volatile.Read(ref _requested);
            var spin = new SpinWait();
            while (Volatile.Read(ref _completed) != target)
                spin.SpinOnce(sleep1Threshold: -1);
            var error = _error;
            _error = null;
            return error;
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
                seen = Volatile.Read(ref _requested);
                try
                {
                    GemmFloat.RunPart(in s_job, _part);
                }
                catch (Exception e)
                {
                    _error = e;
                }
                Volatile.Write(ref _completed, seen);
            }
        }
    }
}
