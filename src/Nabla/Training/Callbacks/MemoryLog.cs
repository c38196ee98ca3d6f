using System.Globalization;
using System.Numerics;

namespace Nabla.Training.Callbacks;

/// <summary>
/// A soak-test callback (<c>nabla train --memory-log FILE</c>): after every epoch, a full garbage collection and
/// then one CSV row of the process's memory, to check that a long run stays flat: resident set size, the live
/// managed heap, the bytes allocated since the start and the number of gen-2 collections. Collecting first makes
/// the row measure what is still referenced, not how much garbage happens to be waiting (it costs a full
/// collection per epoch).
/// </summary>
public sealed class MemoryLog<T> : ITrainingCallback<T>, IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The CSV header.</summary>
    public const string Header = "epoch,seconds,rss_bytes,live_heap_bytes,allocated_bytes,gen2_collections";

    private readonly StreamWriter _writer;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Creates <paramref name="path"/> (and its directory), replacing any file there, and writes the header.</summary>
    public MemoryLog(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        _writer = new StreamWriter(path, append: false);
        _writer.WriteLine(Header);
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<T> context)
    {
        long live = GC.GetTotalMemory(forceFullCollection: true);
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{context.History.Last.Epoch},{_clock.Elapsed.TotalSeconds:0.###},{process.WorkingSet64},{live},{GC.GetTotalAllocatedBytes()},{GC.CollectionCount(2)}"));
        _writer.Flush();
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}
