using Nabla.Data;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Runs;

namespace Nabla.Tests.Runs;

/// <summary>The memory a run will need, counted by hand for a small network, and refused before anything is allocated when it cannot fit.</summary>
public class MemoryEstimateTests
{
    private static TrainingRunOptions Moons => new()
    {
        Train = Synthetic.Moons<float>(100, 0.2, seed: 1),
        Network = NetworkSpelling.Parse("Linear(8), Tanh, Linear(2)"),
        Loss = "cross-entropy",
        Optimizer = () => new Adam<float>(0.01),
        BatchSize = 10,
    };

    [Fact]
    public void EachPartIsCountedAsTheRunAllocatesIt()
    {
        var estimate = MemoryEstimate.For(Moons);

        // 2·8 + 8 + 8·2 + 2 = 42 float parameters.
        Assert.Equal(42 * 4, estimate.Parameters);
        Assert.Equal(42 * 4, estimate.Gradients);
        Assert.Equal(2 * 42 * 4, estimate.OptimizerState); // Adam's m and v
        Assert.Equal(42 * 4, estimate.Copies);              // the health summary's weights before the last step
        // The largest batch is evaluation's (all 100 rows); per row: outputs and input gradients 10 + 16 + 10, inputs 2, loss 3·2.
        Assert.Equal(100 * 44 * 4, estimate.LayerOutputs);
        Assert.Equal(100 * (2 + 2) * 4 + 100 * 4, estimate.Data);
        Assert.Equal((800, "the outputs of layer 0 for 100 rows"), (estimate.LargestArray, estimate.LargestArrayHolds));
        Assert.Equal(168 + 168 + 336 + 168 + 17_600 + 2_000, estimate.Total);
    }

    [Fact]
    public void SavingEarlyStoppingHoldOutsAndScalingAddTheirCopies()
    {
        var plain = MemoryEstimate.For(Moons);
        var more = MemoryEstimate.For(Moons with
        {
            OutputDirectory = "unused",
            EarlyStoppingPatience = 3,
            ValidationFraction = 0.2,
            Scaling = ScalingKind.Standard,
        });

        // Early stopping's best weights, and a save's snapshot and bytes of weights and both Adam buffers.
        Assert.Equal(plain.Copies + 42 * 4 + 2 * 4 * (42 + 2 * 42), more.Copies);
        // The hold-out copies every sample once; scaling copies the features.
        Assert.Equal(plain.Data + plain.Data + 100 * 2 * 4, more.Data);
        // The report runs its decision-boundary grid in batches of 1,024 rows: outputs 10 + 8, inputs 2, loss 3·2 per row;
        // input gradients only for the 100 rows trained.
        Assert.Equal((1024 * (18 + 2 + 6) + 100 * 18) * 4, more.LayerOutputs);
    }

    [Fact]
    public void ANetworkNoArrayCanHoldIsRefusedBeforeAnythingIsBuilt()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InsufficientMemoryException>(() => new TrainingRun(Moons with { Network = NetworkSpelling.Parse("Linear(100000), Tanh, Linear(100000), Tanh, Linear(2)") }));

        Assert.Equal("The training run needs an array of 10,000,000,000 values (the tensor 2.weight); a .NET array holds at most 2,147,483,591. " +
            "Fewer or smaller layers, a smaller batch or less data need less.", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10 << 20);
    }

    [Fact]
    public void ARunLargerThanTheMachineIsRefusedWithTheEstimatePartByPart()
    {
        // 40 layers of 40,000 units: 1.6 billion weights each (each fits an array), about 1.2 TiB in all with Adam.
        string network = string.Join(", ", Enumerable.Repeat("Linear(40000), Tanh", 40)) + ", Linear(2)";

        var e = Assert.Throws<InsufficientMemoryException>(() => new TrainingRun(Moons with { Network = NetworkSpelling.Parse(network) }));

        Assert.StartsWith("The training run needs about ", e.Message);
        Assert.Matches(@"\(parameters [\d.]+ GiB, gradients [\d.]+ GiB, optimizer state [\d.]+ GiB, weight copies [\d.]+ GiB, layer outputs [\d.]+ GiB, data [\d.]+ KiB\); this machine lets the process use [\d.]+ [GT]iB\.", e.Message);
    }
}
