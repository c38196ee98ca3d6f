namespace Nabla.Tensors;

/// <summary>
/// Splits a long element-wise pass (an optimizer update, a finiteness check) over the
/// <see cref="Workers"/>: such passes stream parameters that do not fit in one core's cache, and two
/// cores move about twice the bytes one does.
/// </summary>
/// <remarks>
/// Ranges start on multiples of <see cref="Align"/> elements, a multiple of every vector width, so
/// an element takes the same vector (or scalar tail) path as in one pass over the whole span, and
/// the bits do not depend on the split or the thread count.
/// </remarks>
internal static unsafe class Elementwise
{
    /// <summary>Range starts are multiples of this many elements: of every vector width, and whole cache lines of float or double.</summary>
    public const int Align = 64;

    /// <summary>Below this many elements one thread does the pass: a handoff would cost more than it saves.</summary>
    public const int ParallelFrom = 1 << 16;

    private struct Job
    {
        public delegate*<void*, int, int, int, void> Body;
        public void* State;
        public int Length, Parts;
    }

    /// <summary>Number of parts <see cref="Run"/> cuts <paramref name="length"/> elements into.</summary>
    public static int Parts(int length) => length < ParallelFrom ? 1 : 2 * Parallelism.MaxThreads;

    /// <summary>
    /// Calls <c>body(state, part, start, end)</c> for <paramref name="parts"/> consecutive ranges that
    /// cover [0, <paramref name="length"/>) (<see cref="Parts"/> when not given), in parallel when there
    /// are several; returns when all are done.
    /// </summary>
    public static void Run(int length, delegate*<void*, int, int, int, void> body, void* state, int parts = 0)
    {
        var job = new Job { Body = body, State = state, Length = length, Parts = parts > 0 ? parts : Parts(length) };
        Workers.Run(Math.Min(Parallelism.MaxThreads, job.Parts), job.Parts, &RunPart, &job);
    }

    /// <summary>The range of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="length"/> elements.</summary>
    public static (int Start, int End) Range(int length, int parts, int part)
    {
        int units = (length + Align - 1) / Align;
        int start = (int)Math.Min(length, (long)units * part / parts * Align);
        int end = (int)Math.Min(length, (long)units * (part + 1) / parts * Align);
        return (start, end);
    }

    private static void RunPart(void* state, int part)
    {
        ref Job job = ref *(Job*)state;
        var (start, end) = Range(job.Length, job.Parts, part);
        if (start < end)
            job.Body(job.State, part, start, end);
    }
}
