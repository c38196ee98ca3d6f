using System.Globalization;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// <c>--memory-log FILE</c>: after every epoch, a full garbage collection and then one CSV row of the process's
/// memory, to check that a long run stays flat: resident set size, the live managed heap, the bytes allocated
/// since the start and the number of gen-2 collections. Collecting first makes the row measure what is still
/// referenced, not how much garbage happens to be waiting (a soak tool: it costs a full collection per epoch).
/// </summary>
internal sealed class MemoryLog(string path) : ITrainingCallback<float>, IDisposable
{
    private readonly StreamWriter _writer = CreateWriter(path);

    /// <summary>The CSV header.</summary>
    public const string Header = "epoch,seconds,rss_bytes,live_heap_bytes,allocated_bytes,gen2_collections";

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<float> context)
    {
        long live = GC.GetTotalMemory(forceFullCollection: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{context.History.Last.Epoch},{_clock.Elapsed.TotalSeconds:0.###},{process.WorkingSet64},{live},{GC.GetTotalAllocatedBytes()},{GC.CollectionCount(2)}"));
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();

    private static StreamWriter CreateWriter(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        var writer = new StreamWriter(path, append: false);
        writer.WriteLine(Header);
        return writer;
    }
}
