using System.CommandLine;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// The options of <c>nabla train</c> that control how a run executes and survives: threads, checkpoints,
/// resuming and what to do on divergence. None of them changes the trained weights (a resumed run ends
/// byte-identical to an uninterrupted one, and any thread count gives the same bytes).
/// </summary>
internal sealed class RunControlOptions
{
    /// <summary>The thread limit of all parallel work (<see cref="Parallelism.MaxThreads"/>).</summary>
    public Option<int?> Threads { get; } = new("--threads")
    {
        Description = "Most threads any parallel work may use: matrix products, optimizer updates, finiteness checks (default: the processor count, at most 2). Results are byte-identical for any value.",
        CustomParser = r => Values.Number<int>(r, v => v >= 1, "a thread count of at least 1"),
        HelpName = "N",
    };

    /// <summary>Epochs between checkpoints.</summary>
    public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every", "--checkpoint_every")
    {
        Description = "Save DIR/checkpoint.safetensors (weights, optimizer state, random state, history, settings) every N epochs; needs --out DIR.",
        CustomParser = r => Values.Number<int>(r, v => v >= 1, "a number of epochs of at least 1"),
        HelpName = "N",
    };

    /// <summary>The directory of the run to resume.</summary>
    public Option<string?> Resume { get; } = new("--resume")
    {
        Description = "Continue the run whose checkpoint is in DIR, with the settings stored in it; --epochs counts from the start of the run. Writes to DIR unless --out says otherwise.",
        HelpName = "DIR",
    };

    /// <summary>What to do on a NaN or infinity.</summary>
    public Option<string> OnDivergence { get; } = new Option<string>("--on-divergence", "--on_divergence")
    {
        Description = "When a step produces a NaN or infinity: stop (exit 4, keeping the last checkpoint) or skip-batch (leave the weights, count the batch, go on).",
        DefaultValueFactory = _ => "stop",
    }.AcceptOnlyFromAmong("stop", "skip-batch");

    /// <summary>Where to log memory use per epoch.</summary>
    public Option<string?> MemoryLog { get; } = new("--memory-log")
    {
        Description = "After a full garbage collection each epoch, write one CSV row to FILE: resident memory, live managed heap, bytes allocated, gen-2 collections (for soak tests).",
        HelpName = "FILE",
    };

    /// <summary>Options a resumed run may change: they do not alter what has been trained.</summary>
    public IEnumerable<Option> Overridable => [Threads, CheckpointEvery, Resume, OnDivergence, MemoryLog];

    /// <summary>Options that are not stored in a checkpoint's settings: they say only how to run this process.</summary>
    public IEnumerable<Option> NotStored => [Threads, Resume, MemoryLog];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Threads);
        command.Add(CheckpointEvery);
        command.Add(Resume);
        command.Add(OnDivergence);
        command.Add(MemoryLog);
    }

    /// <summary>The divergence policy asked for.</summary>
    public DivergencePolicy Policy(OptionSource source) => source.Get(OnDivergence) == "skip-batch" ? DivergencePolicy.SkipBatch : DivergencePolicy.Stop;

    /// <summary>Sets <see cref="Parallelism.MaxThreads"/> when <c>--threads</c> is given; disposing puts the previous value back.</summary>
    public IDisposable ApplyThreads(OptionSource source)
    {
        int previous = Parallelism.MaxThreads;
        if (source.Get(Threads) is { } threads)
            Parallelism.MaxThreads = threads;
        return new Restore(() => Parallelism.MaxThreads = previous);
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
