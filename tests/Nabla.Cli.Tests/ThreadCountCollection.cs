namespace Nabla.Cli.Tests;

/// <summary>
/// Tests that read back the thread count a run was given (<c>--threads</c> sets <see cref="Tensors.Parallelism.MaxThreads"/>,
/// one setting for the whole process, and every in-process run sets it) run alone: a full-suite CI run saw
/// <c>BenchTests.TinyGaussiansReportsEveryFieldAndLearns</c> report 2 threads for <c>--threads 1</c>, another test's run
/// having set it in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadCountCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Thread count";
}
