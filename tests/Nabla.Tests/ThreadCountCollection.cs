namespace Nabla.Tests;

/// <summary>
/// Tests that set <see cref="Tensors.Parallelism.MaxThreads"/> (one setting for the whole process) and tests that
/// assert a step allocates nothing run alone: a thread count changed by another test between the warm-up and the
/// measured steps makes the measured steps allocate (per-thread buffers, workers). A full-suite CI run saw 5,720
/// bytes in <c>AllocationTests.SteadyStateCnnTrainingStepAllocatesNothing</c> that way.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Thread count";
}
