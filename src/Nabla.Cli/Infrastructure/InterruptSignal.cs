using System.Runtime.InteropServices;

namespace Nabla.Cli;

/// <summary>
/// Ctrl-C (SIGINT) or SIGTERM (what a job scheduler, <c>kill</c> or <c>docker stop</c> sends) during training:
/// the first one cancels <see cref="Token"/>, so the trainer finishes the current batch and the run saves a
/// checkpoint and exits with <see cref="ExitCode"/> (128 + the signal's number, as shells report it: 130 or 143);
/// a second one of either exits at once with the same code (the last complete checkpoint stays as it was, since
/// checkpoints are replaced atomically).
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private int _count;
    private int _exitCode = ExitCodes.Interrupted;

    /// <summary>Starts listening; <paramref name="error"/> receives the notice.</summary>
    public InterruptSignal(TextWriter error)
    {
        _error = error;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit code of the first signal: <see cref="ExitCodes.Interrupted"/> (SIGINT) or <see cref="ExitCodes.Terminated"/> (SIGTERM).</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _count) > 1)
        {
            _error.WriteLine("Interrupted again: exiting now without saving.");
            Environment.Exit(ExitCode);
        }
        bool terminated = context.Signal == PosixSignal.SIGTERM;
        Volatile.Write(ref _exitCode, terminated ? ExitCodes.Terminated : ExitCodes.Interrupted);
        _error.WriteLine(terminated
            ? "Terminated (SIGTERM): finishing the current batch and saving a checkpoint (a second signal quits at once)."
            : "Interrupted: finishing the current batch and saving a checkpoint (press Ctrl-C again to quit at once).");
        _cancel.Cancel();
    }
}
