using System.Runtime.InteropServices;

namespace Nabla.Cli;

/// <summary>
/// Ctrl-C (SIGINT) during training: the first one cancels <see cref="Token"/>, so the trainer finishes the
/// current batch and the run saves a checkpoint and exits with <see cref="ExitCodes.Interrupted"/>; a
/// second one exits at once with the same code (the last complete checkpoint stays as it was, since
/// checkpoints are replaced atomically).
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _registration;
    private readonly TextWriter _error;
    private int _count;

    /// <summary>Starts listening; <paramref name="error"/> receives the notice.</summary>
    public InterruptSignal(TextWriter error)
    {
        _error = error;
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled by the first interrupt.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _registration.Dispose();
        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _count) > 1)
        {
            _error.WriteLine("Interrupted again: exiting now without saving.");
            Environment.Exit(ExitCodes.Interrupted);
        }
        _error.WriteLine("Interrupted: finishing the current batch and saving a checkpoint (press Ctrl-C again to quit at once).");
        _cancel.Cancel();
    }
}
