using System.Runtime.InteropServices;

namespace Nabla.Benchmarks;

/// <summary>
/// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): on a shared, loaded host it counts only the
/// time this thread ran, so a one-thread measurement is steadier than wall time (cache interference from the other
/// tenants remains).
/// </summary>
public static partial class ThreadClock
{
    private const int ThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds, Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Seconds of CPU this thread has used.</summary>
    public static double Seconds()
    {
        ClockGetTime(ThreadCpuTime, out var t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }
}
