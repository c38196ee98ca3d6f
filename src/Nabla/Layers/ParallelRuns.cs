using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// Runs a layer's loop over independent items (the samples of a pooling layer, the channels of a batch norm) on the
/// worker threads (<see cref="Parallelism"/>), in contiguous runs of items. Nothing is summed across items, so which
/// thread computes an item never changes its bits.
/// </summary>
internal static unsafe class ParallelRuns
{
    /// <summary>Below this many values in all one thread does it all: a handoff would cost more than it saves.</summary>
    private const long ParallelFrom = 1 << 15;

    private struct Job
    {
        public delegate*<void*, int, int, void> Body;
        public void* State;
        public int Rows, Parts;
    }

    /// <summary>Calls <c>body(state, first, end)</c> for runs of items covering [0, <paramref name="rows"/>), in parallel when there is enough work.</summary>
    public static void Run(int rows, int valuesPerItem, delegate*<void*, int, int, void> body, void* state)
    {
        int parts = (long)rows * valuesPerItem < ParallelFrom ? Math.Min(rows, 1) : Math.Min(rows, 2 * Parallelism.MaxThreads);
        var job = new Job { Body = body, State = state, Rows = rows, Parts = parts };
        Workers.Run(Math.Min(Parallelism.MaxThreads, parts), parts, &RunPart, &job);
    }

    private static void RunPart(void* state, int part)
    {
        ref Job job = ref *(Job*)state;
        int first = (int)((long)job.Rows * part / job.Parts), end = (int)((long)job.Rows * (part + 1) / job.Parts);
        if (first < end)
            job.Body(job.State, first, end);
    }
}
