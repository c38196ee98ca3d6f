using System.Diagnostics;
using Nabla.Data;
using Xunit.Abstractions;

namespace Nabla.Tests.Data;

/// <summary>Runs alone (no parallel test classes), so the process's CPU time is the loader's.</summary>
[CollectionDefinition(nameof(FashionMnistTests), DisableParallelization = true)]
public sealed class FashionMnistCollection;

[Collection(nameof(FashionMnistTests))]
public sealed class FashionMnistTests(ITestOutputHelper output)
{
    [FashionMnistFact]
    public void LoadsTheRealFashionMnistQuickly()
    {
        var catalog = new DatasetCatalog(FashionMnistFactAttribute.Directory, null, null, "/nonexistent");
        // The test split first: it checks the labels and warms up the JIT, so the timing below is the loader's.
        var test = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
        Assert.Equal(10_000, test.Count);
        Assert.Equal([9, 2, 1, 1, 6], test.Labels![..5]);

        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var train = catalog.Load<float>("fashion-mnist");
        clock.Stop();
        process.Refresh();
        cpu = process.TotalProcessorTime - cpu;
        output.WriteLine($"Fashion-MNIST train split: {train.Count} images in {clock.Elapsed.TotalMilliseconds:F0} ms wall, {cpu.TotalMilliseconds:F0} ms CPU");
        Assert.Equal(60_000, train.Count);
        Assert.Equal(784, train.FeatureCount);
        Assert.Equal("Ankle boot", train.ClassNames![train.Labels![0]]);
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(6000, train.Labels.Count(l => l == k)));
        Assert.Equal(76247.0 / 255, train.Features.Row(0).ToArray().Sum(x => (double)x), 1e-3);
        // The product's target is under 1 s (Release build). Tests run a Debug build on two shared cores,
        // so this bound is looser: it catches a per-element scalar path, which takes several seconds.
        Assert.True(cpu < TimeSpan.FromSeconds(3), $"loading took {cpu.TotalMilliseconds:F0} ms of CPU time; expected well under 3 s");
    }
}
