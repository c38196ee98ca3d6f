namespace Nabla.Cli.Tests;

/// <summary>
/// Option values that ask for more memory than there is are usage errors (exit 2) naming the estimate, refused before
/// anything large is allocated; before, they were internal errors or ran out of memory.
/// </summary>
public class OptionLimitTests
{
    public static TheoryData<string[], string> TooLarge => new()
    {
        { ["--layers", "2147483647"], "The training run needs an array of 2,199,023,254,528 values (the outputs of layer 0 for 1,024 rows); a .NET array holds at most 2,147,483,591." },
        { ["--layers", "100000,100000"], "The training run needs an array of 10,000,000,000 values (the tensor 2.weight)" },
        { ["--samples", "2000000000"], "Generating 2,000,000,000 samples of gaussians needs an array of 4,000,000,000 values; a .NET array holds at most 2,147,483,591. Ask for fewer samples." },
        { ["--data", "spiral", "--samples", "1000000000"], "Generating 1,000,000,000 samples of spiral needs an array of 3,000,000,000 values" },
        { ["--layers", string.Join(',', Enumerable.Repeat("40000", 40)), "--optimizer", "adam"], "The training run needs about" },
    };

    [Theory]
    [MemberData(nameof(TooLarge))]
    public void WhatCannotFitIsAUsageErrorWithTheEstimateBeforeAnythingIsAllocated(string[] options, string expected)
    {
        using var dir = new TempDirectory();
        long before = GC.GetAllocatedBytesForCurrentThread();

        var run = Runner.Run(["train", .. options, "--epochs", "1", "--out", dir.Path]);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Err);
        Assert.DoesNotContain("internal error", run.Err);
        Messages.AssertBounded(run.Err);
        Assert.True(allocated < 64 << 20, $"allocated {allocated:N0} bytes before refusing");
        Assert.Empty(Messages.Snapshot(dir.Path));
    }

    [Fact]
    public void ThePlanSaysHowMuchMemoryTheRunNeeds()
    {
        var run = Runner.Run("train", "--epochs", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"seed 0, about [\d.]+ KiB of memory", run.Out);
    }
}
