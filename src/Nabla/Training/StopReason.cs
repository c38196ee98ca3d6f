namespace Nabla.Training;

/// <summary>Why <see cref="Trainer{T}.Fit"/> ended before its last epoch.</summary>
public enum StopKind
{
    /// <summary>A callback asked to stop (<see cref="TrainingContext{T}.Stop"/>), as early stopping does.</summary>
    Requested,

    /// <summary><see cref="TrainingOptions{T}.Interrupt"/> was cancelled: the run stopped to be resumed.</summary>
    Interrupted,
}

/// <summary>Why training stopped early: the <see cref="Kind"/> decides, the <see cref="Text"/> explains (history, reports, checkpoints).</summary>
/// <param name="Kind">Who stopped it.</param>
/// <param name="Text">The reason in words: <c>"interrupted"</c>, <c>"early stopping: no improvement of val_loss for 5 epochs (best at epoch 12)"</c>.</param>
public sealed record StopReason(StopKind Kind, string Text)
{
    /// <summary>The run was interrupted to be resumed.</summary>
    public static StopReason Interrupted { get; } = new(StopKind.Interrupted, "interrupted");

    /// <summary>The reason a checkpoint stores as <paramref name="text"/>: <see cref="Interrupted"/> for its text, else a request.</summary>
    public static StopReason FromText(string text) => text == Interrupted.Text ? Interrupted : new(StopKind.Requested, text);

    /// <summary>The <see cref="Text"/>.</summary>
    public override string ToString() => Text;
}
