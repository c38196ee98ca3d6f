using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Nabla.Tensors;

/// <summary>
/// Persistent worker threads for the kernels that split their work: <see cref="GemmFloat"/>'s
/// products, the optimizers' updates, <see cref="Gemv"/>. A handoff costs under a microsecond where
/// <c>Parallel.For</c> costs 3–5 µs, which is what makes two threads pay on 2 MFLOP products.
/// </summary>
/// <remarks>
/// A job is cut into a fixed number of parts (a few per thread), and every thread, the caller
/// included, claims parts one at a time until none is left. So a worker the scheduler has not run
/// yet (a busy machine) costs nothing: the caller takes its parts. Which thread computes a part
/// never changes how, so the bits do not depend on it. After its last part a worker spins for
/// <see cref="SpinTime"/> so the next job of a training step finds it awake, then blocks so an idle
/// process burns no core. One job runs on the workers at a time; a concurrent caller runs its job
/// alone, part by part, which gives the same bits.
/// </remarks>
internal static unsafe class Workers
{
    private static readonly long SpinTime = Stopwatch.Frequency / 10_000; // 100 µs
    private static readonly object s_growLock = new();
    private static Worker[] s_workers = [];
    private static delegate*<void*, int, void> s_body;
    private static void* s_state;
    private static int s_busy;
    private static int s_generation;
    /// <summary>The running product's generation (high 32 bits) and its next unclaimed part (low 32 bits).</summary>
    private static long s_claim;
    private static int s_done;
    private static Exception? s_error;

    /// <summary>
    /// Runs <c>body(state, part)</c> for every part in [0, <paramref name="parts"/>) on the caller and
    /// up to <paramref name="threads"/> − 1 workers, and returns after all have finished. With one
    /// thread, or when another job holds the workers, the caller runs every part itself, in order.
    /// </summary>
    /// <remarks><paramref name="state"/> must stay valid (pinned, or on the caller's stack) until this returns.</remarks>
    public static void Run(int threads, int parts, delegate*<void*, int, void> body, void* state)
    {
        if (threads <= 1 || parts <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++)
                body(state, part);
            return;
        }
        try
        {
            var workers = EnsureWorkers(threads - 1);
            s_body = body;
            s_state = state;
            s_error = null;
            s_done = 0;
            int generation = ++s_generation;
            // Publishing the claim word releases the writes above to whoever claims a part.
            Volatile.Write(ref s_claim, (long)generation << 32);
            for (int t = 1; t < threads; t++)
                workers[t - 1].Start(generation, parts);
            RunParts(generation, parts);
            // Always wait: the workers hold pointers into the caller's state.
            var spin = new SpinWait();
            while (Volatile.Read(ref s_done) != parts)
                spin.SpinOnce(sleep1Threshold: -1);
            if (s_error is { } error)
                ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    /// <summary>Claims and runs parts of job <paramref name="generation"/> until none is left (or it is over).</summary>
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
                s_body(s_state, part);
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
            new Thread(Loop) { IsBackground = true, Name = $"Nabla worker {index}" }.Start();

        /// <summary>Asks the worker to help with job <paramref name="generation"/> of <paramref name="parts"/> parts.</summary>
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
