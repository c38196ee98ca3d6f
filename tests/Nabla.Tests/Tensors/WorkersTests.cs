using System.Diagnostics;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

[Collection(ThreadCountCollection.Name)]
public unsafe class WorkersTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(2, 16)]
    [InlineData(3, 40)]   // a third thread, and a part table grown past its first 16
    public void EveryPartRunsExactlyOnce(int threads, int parts)
    {
        const int jobs = 2000;
        var counts = new int[parts];
        fixed (int* p = counts)
        {
            for (int job = 0; job < jobs; job++)
                Workers.Run(threads, parts, &Count, p);
        }
        Assert.All(counts, count => Assert.Equal(jobs, count));
    }

    /// <summary>
    /// Pauses around the workers' 100 µs spin before they block, so jobs meet workers spinning, falling
    /// asleep and asleep: every part must still run exactly once, and no job may hang.
    /// </summary>
    [Fact]
    public void JobsPostedAsWorkersFallAsleepStillRunEveryPartOnce()
    {
        const int jobs = 1500, parts = 2;
        var counts = new int[parts];
        var rng = new Random(11);
        fixed (int* p = counts)
        {
            for (int job = 0; job < jobs; job++)
            {
                long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency * rng.Next(0, 250) / 1_000_000;
                while (Stopwatch.GetTimestamp() < until)
                    Thread.SpinWait(1);
                Workers.Run(2, parts, &Count, p);
            }
        }
        Assert.All(counts, count => Assert.Equal(jobs, count));
    }

    [Fact]
    public void TwoCallersAtOnceEachGetEveryPartOnce()
    {
        const int jobs = 2000, parts = 4;
        var counts = new int[2][];
        var callers = Enumerable.Range(0, 2).Select(c => new Thread(() =>
        {
            counts[c] = new int[parts];
            fixed (int* p = counts[c])
            {
                for (int job = 0; job < jobs; job++)
                    Workers.Run(2, parts, &Count, p);
            }
        })).ToArray();
        foreach (var caller in callers)
            caller.Start();
        foreach (var caller in callers)
            caller.Join();
        Assert.All(counts, perCaller => Assert.All(perCaller, count => Assert.Equal(jobs, count)));
    }

    [Fact]
    public void AnExceptionInAPartReachesTheCallerAndTheWorkersStayUsable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Workers.Run(2, 4, &ThrowInPartTwo, null));
        Assert.Equal("part 2", error.Message);
        var counts = new int[4];
        fixed (int* p = counts)
            Workers.Run(2, 4, &Count, p);
        Assert.Equal([1, 1, 1, 1], counts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WorkAfterTheFirstPartRunsOnceItIsDoneAndItsExceptionReachesTheCaller(int threads)
    {
        var counts = new int[4];
        InvalidOperationException? error = null;
        fixed (int* p = counts)
        {
            var after = new ThrowAfterFirstPart(p);
            try
            {
                Workers.Run(threads, 4, &Count, p, ref after);
            }
            catch (InvalidOperationException e)
            {
                error = e;
            }
        }
        Assert.Equal("after part 0, which had run 1 time(s)", error?.Message);
        // On one thread the exception leaves at once; with workers, only once no part is running, so all have run.
        Assert.Equal(threads == 1 ? [1, 0, 0, 0] : [1, 1, 1, 1], counts);
    }

    private readonly struct ThrowAfterFirstPart(int* counts) : IAfterFirstPart
    {
        public void Run() => throw new InvalidOperationException($"after part 0, which had run {Volatile.Read(ref counts[0])} time(s)");
    }

    /// <summary>
    /// Workers block after 100 µs without work; the next job must wake one rather than leave its parts
    /// to the caller. The caller's part waits (up to 200 ms) for the other part to start on another
    /// thread. A worker falling asleep at the very moment a job is posted may miss that job (the
    /// caller then runs it), so one of ten tries must meet, not all.
    /// </summary>
    [Fact]
    public void AWorkerAsleepAfterAnIdleSpellJoinsTheNextJob()
    {
        int met = 0;
        for (int attempt = 0; attempt < 10 && met == 0; attempt++)
        {
            Thread.Sleep(20);
            var meeting = new Meeting { Caller = Environment.CurrentManagedThreadId };
            Workers.Run(2, 2, &Meet, &meeting);
            met += meeting.OtherThread;
        }
        Assert.Equal(1, met);
    }

    private static void Count(void* state, int part) => Interlocked.Increment(ref ((int*)state)[part]);

    private static void ThrowInPartTwo(void* state, int part)
    {
        if (part == 2)
            throw new InvalidOperationException("part 2");
    }

    private struct Meeting
    {
        public int Caller, Arrived, OtherThread;
    }

    /// <summary>Part 0 (the caller's) waits for part 1 to arrive; part 1 notes whether it runs on another thread.</summary>
    private static void Meet(void* state, int part)
    {
        ref var meeting = ref *(Meeting*)state;
        if (part == 1)
        {
            meeting.OtherThread = Environment.CurrentManagedThreadId != meeting.Caller ? 1 : 0;
            Volatile.Write(ref meeting.Arrived, 1);
            return;
        }
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref meeting.Arrived) == 0 && clock.ElapsedMilliseconds < 200)
            Thread.SpinWait(10);
    }
}
