using System.Globalization;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// Test hook: with <c>NABLA_TEST_PAUSE_AFTER_BATCH=N</c> in the environment, <c>nabla train</c> stops after the N-th
/// batch this process trains, writes <see cref="Notice"/> to stderr and waits for a signal (at most five minutes),
/// so a test signals a run at a moment it caused instead of hoping the run is still going.
/// </summary>
internal sealed class TestPause(int afterBatch, CancellationToken interrupt, TextWriter error) : ITrainingCallback<float>
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "NABLA_TEST_PAUSE_AFTER_BATCH";

    /// <summary>What the paused run writes to stderr, followed by the batch count.</summary>
    public const string Notice = "test hook: paused after batch";

    private int _batches;

    /// <summary>The hook when <see cref="Variable"/> is set, else null.</summary>
    public static TestPause? FromEnvironment(CancellationToken interrupt, TextWriter error) =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? new TestPause(n, interrupt, error)
            : null;

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<float> context)
    {
        if (++_batches != afterBatch)
            return;
        error.WriteLine($"{Notice} {afterBatch}; waiting for a signal");
        interrupt.WaitHandle.WaitOne(TimeSpan.FromMinutes(5));
    }
}
