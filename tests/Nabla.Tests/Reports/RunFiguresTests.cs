using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Tensors;

namespace Nabla.Tests.Reports;

/// <summary>The report's figures run the model in bounded batches, as evaluate and predict do.</summary>
public class RunFiguresTests
{
    /// <summary>
    /// A 200,000-unit layer over a 40 × 40 grid: the 1,600 points in one batch held 1.3 GB of layer outputs (a 200 × 200
    /// grid through a million units, 160 GB); in batches of <see cref="Training.InferenceBatch"/> rows, about 64 MB.
    /// </summary>
    [Fact]
    public void TheDecisionBoundaryOfAWideModelRunsInBoundedBatches()
    {
        var data = Synthetic.Moons<float>(50, 0.2, seed: 2);
        var architecture = Architecture.Mlp(2, [200_000], 2, "relu", "cross-entropy", data.ClassNames);
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(4));
        RunFigures.Boundary(model, architecture, data, "warm-up", resolution: 4);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var boundary = RunFigures.Boundary(model, architecture, data, "wide", resolution: 40);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 256L << 20, $"The decision boundary allocated {allocated:N0} bytes.");
        Assert.Contains("<svg", boundary.ToSvg());
    }
}
