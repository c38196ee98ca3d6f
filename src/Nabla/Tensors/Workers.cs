using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Tensors;

/// <summary>
/// Persistent worker threads for the kernels that split their work: <see cref="GemmFloat"/>'s
/// products, the optimizers' updates, <see cref="Gemv"/>. A handoff costs under a microsecond where
/// <c>Parallel.For</c> costs 3–5 µs, which is what makes two threads pay on 2 MFLOP products.
/// </summary>
/// <remarks>
/// A job is cut into a fixed number of parts (a few per thread), and every thread, the caller
/// included, claims parts one at a time, its own share first (see <see cref="Run"/>), until none
/// is left. So a worker the scheduler has not run yet (a busy machine) costs nothing: the caller
/// takes its parts. Which thread computes a part
/// never changes how, so the bits do not depend on it. After its last part a worker spins for
/// <see cref="SpinTime"/> so the next job of a training step finds it awake, then blocks so an idle
/// process burns no core. One job runs on the workers at a time; a concurrent caller runs its job
/// alone, part by part, which gives the same bits.
/// </remarks>
internal static unsafe class Workers
{
    private static readonly long SpinTime = Stopwatch.Frequency / 10_000; // 100 µs

    /// <summary>
    /// Polls of <c>Thread.SpinWait(1)</c> (about 40 ns each here) a caller makes before backing off.
    /// Polling every <c>SpinWait(20)</c>, 0.77 µs here, a worker noticed a job late enough that an
    /// empty two-part job ran both parts on the caller 92 % of the time.
    /// </summary>
    private const int TightPolls = 1000;
    private static readonly object s_growLock = new();
    private static Worker[] s_workers = [];
    /// <summary>
    /// Two flags, each alone on a cache line (values 64 bytes apart, none at the ends): whether a job
    /// holds the workers (<see cref="Busy"/>), which only callers touch, and how many of the running
    /// job's parts are done (<see cref="Done"/>), which every thread counts. Side by side, each
    /// caller's compare-and-swap first fetched the line from the worker that counted last.
    /// </summary>
    private static readonly int[] s_flags = new int[48];
    private const int Busy = 16, Done = 32;
    private static long s_generation;
    /// <summary>Per part: the running job's generation while the part is open, its negation once claimed.</summary>
    private static long[] s_parts = new long[16];
    private static Exception? s_error;

    /// <summary>
    /// Runs <c>body(state, part)</c> for every part in [0, <paramref name="parts"/>) on the caller and
    /// up to <paramref name="threads"/> − 1 workers, and returns after all have finished. With one
    /// thread, or when another job holds the workers, the caller runs every part itself, in order.
    /// </summary>
    /// <remarks>
    /// Thread t first takes its own contiguous share of the parts (the caller the first), then takes
    /// over the others' unclaimed parts from the end. So consecutive jobs split alike (a dense layer's
    /// forward product, weight gradient and update all cut its weight by rows) keep each share's data
    /// in one core's cache, while a thread the scheduler has not run still costs nothing.
    /// <paramref name="state"/> must stay valid (pinned, or on the caller's stack) until this returns.
    /// </remarks>
    public static void Run(int threads, int parts, delegate*<void*, int, void> body, void* state)
    {
        var nothing = default(NothingAfterFirstPart);
        Run(threads, parts, body, state, ref nothing);
    }

    /// <summary>
    /// Like the overload without <paramref name="afterFirstPart"/>, and calls
    /// <paramref name="afterFirstPart"/> on the calling thread once part 0 is done, while the other
    /// parts may still be running: a caller overlaps the work that needs only part 0's results with
    /// the wait for the rest.
    /// </summary>
    public static void Run<TAfter>(int threads, int parts, delegate*<void*, int, void> body, void* state, ref TAfter afterFirstPart)
        where TAfter : struct, IAfterFirstPart
    {
        if (threads <= 1 || parts <= 1 || Interlocked.CompareExchange(ref s_flags[Busy], 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++)
            {
                body(state, part);
                if (part == 0)
                    afterFirstPart.Run();
            }
            return;
        }
        try
        {
            threads = Math.Min(threads, parts);
            var workers = EnsureWorkers(threads - 1);
            if (s_parts.Length < parts)
                s_parts = new long[parts];
            var open = s_parts;
            if (s_error is not null) // written only when set: the workers read s_parts beside it every job
                s_error = null;
            s_flags[Done] = 0;
            long generation = ++s_generation;
            // Opening the parts releases the writes above to whoever claims one. The caller's first
            // part opens already claimed, so it starts at once: no interlocked claim, which would
            // wait for the stores above to reach the other cores first.
            Volatile.Write(ref open[0], -generation);
            for (int part = 1; part < parts; part++)
                Volatile.Write(ref open[part], generation);
            for (int t = 1; t < threads; t++)
                workers[t - 1].Start(generation, parts, threads, body, state);
            if (RunClaimed(body, state, 0))
            {
                try
                {
                    afterFirstPart.Run();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref s_error, e, null);
                }
            }
            RunParts(generation, parts, threads, 0, body, state);
            // Always wait: the workers hold pointers into the caller's state. Poll tightly first (a
            // part of a single prediction lasts about a microsecond), then back off and yield, so a
            // worker the scheduler preempted mid-part gets the core back.
            var spin = new SpinWait();
            for (int polls = 0; Volatile.Read(ref s_flags[Done]) != parts; polls++)
            {
                if (polls < TightPolls)
                    Thread.SpinWait(1);
                else
                    spin.SpinOnce(sleep1Threshold: -1);
            }
            if (s_error is { } error)
                ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref s_flags[Busy], 0);
        }
    }

    /// <summary>Thread <paramref name="self"/>'s share of job <paramref name="generation"/>, then whatever the others left.</summary>
    private static void RunParts(long generation, int parts, int threads, int self, delegate*<void*, int, void> body, void* state)
    {
        var open = Volatile.Read(ref s_parts);
        if (open.Length < parts)
            return; // a later job grew the table: this one is over
        int first = self * parts / threads, end = (self + 1) * parts / threads;
        for (int part = first; part < end; part++)
            TryRun(open, part, generation, body, state);
        for (int part = parts - 1; part >= 0; part--)
            if (part < first || part >= end)
                TryRun(open, part, generation, body, state);
    }

    /// <summary>Runs <paramref name="part"/> if it is still open in job <paramref name="generation"/>; a late worker's claims on a finished job fail.</summary>
    private static void TryRun(long[] open, int part, long generation, delegate*<void*, int, void> body, void* state)
    {
        if (Volatile.Read(ref open[part]) == generation && Interlocked.CompareExchange(ref open[part], -generation, generation) == generation)
            RunClaimed(body, state, part);
    }

    /// <summary>Runs a part this thread has claimed and counts it done, keeping its exception for the caller; false if it threw.</summary>
    private static bool RunClaimed(delegate*<void*, int, void> body, void* state, int part)
    {
        bool ran = true;
        try
        {
            body(state, part);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, e, null);
            ran = false;
        }
        Interlocked.Increment(ref s_flags[Done]);
        return ran;
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
        private readonly int _index;
        private long _requested;
        private int _parts;
        private int _threads;
        private int _sleeping;
        private delegate*<void*, int, void> _body;
        private void* _state;

        public Worker(int index)
        {
            _index = index;
            new Thread(Loop) { IsBackground = true, Name = $"Nabla worker {index}" }.Start();
        }

        /// <summary>Asks the worker to help with job <paramref name="generation"/> of <paramref name="parts"/> parts on <paramref name="threads"/> threads.</summary>
        /// <remarks>
        /// A spinning worker sees the request without a lock; only one that has gone to sleep is
        /// pulsed. With the lock taken every time (two fences, each waiting for a store to reach the
        /// worker's core) and the busy flag beside the done count, a split single prediction's own
        /// first part began 300–430 ns after the call; now 150–160 ns. No fence orders the
        /// request before the read of <c>_sleeping</c>, so a worker falling asleep at that very
        /// moment can miss this job: the caller then runs its parts, and the next job wakes it.
        /// </remarks>
        public void Start(long generation, int parts, int threads, delegate*<void*, int, void> body, void* state)
        {
            _parts = parts;
            _threads = threads;
            _body = body;
            _state = state;
            Volatile.Write(ref _requested, generation);
            if (Volatile.Read(ref _sleeping) != 0)
            {
                lock (_gate)
                    Monitor.Pulse(_gate);
            }
        }

        private void Loop()
        {
            long seen = 0;
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTime;
                while (Volatile.Read(ref _requested) == seen)
                {
                    if (Stopwatch.GetTimestamp() < deadline)
                    {
                        Thread.SpinWait(1);
                        continue;
                    }
                    Volatile.Write(ref _sleeping, 1);
                    Interlocked.MemoryBarrier();
                    lock (_gate)
                    {
                        while (Volatile.Read(ref _requested) == seen)
                            Monitor.Wait(_gate);
                    }
                    Volatile.Write(ref _sleeping, 0);
                }
                // A newer Start may pair this generation with its part and thread counts, body and
                // state; its claims then all fail, since the parts are open under the newer generation.
                seen = Volatile.Read(ref _requested);
                int parts = Volatile.Read(ref _parts), threads = Volatile.Read(ref _threads);
                var body = _body;
                void* state = _state;
                // The job's state sits on the caller's stack, just written: fetch it while claiming.
                if (Sse.IsSupported)
                    Sse.Prefetch0(state);
                if (_index < threads)
                    RunParts(seen, parts, threads, _index, body, state);
            }
        }
    }
}
