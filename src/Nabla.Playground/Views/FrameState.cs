namespace Nabla.Playground.Views;

/// <summary>What a frame says about its session besides the model: set by the session, read when the frame is written.</summary>
/// <param name="Run">The run's number in its session (a new run restarts the page's curves).</param>
/// <param name="Status"><c>paused</c>, <c>playing</c>, <c>finished</c>, <c>diverged</c> or <c>error</c>.</param>
/// <param name="Message">A sentence for the page (why training stopped), or null.</param>
/// <param name="Iteration">Optimizer steps taken.</param>
/// <param name="Epoch">The epoch under way (or just finished).</param>
/// <param name="Batch">Batches of that epoch done.</param>
/// <param name="StepsPerSecond">Optimizer steps per second over the last second of play.</param>
/// <param name="Focus">The enlarged neuron (activation layer number, unit), or null.</param>
/// <param name="Warnings">The latest training-health warnings.</param>
/// <param name="Checks">How many health checks the warnings come from.</param>
internal sealed record FrameState(int Run, string Status, string? Message, long Iteration, int Epoch, int Batch, double StepsPerSecond,
    (int Layer, int Unit)? Focus, IReadOnlyList<string> Warnings, int Checks);
