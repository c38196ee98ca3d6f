namespace Nabla.Playground.Sessions;

/// <summary>
/// The latest value of something that changes often (a session's frame), for readers that only ever want the
/// newest: a slow reader skips values instead of queueing them, so a busy page never builds a backlog.
/// </summary>
internal sealed class Broadcast<T> where T : class
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (long Version, T? Value) _latest;
    private readonly object _lock = new();

    /// <summary>The newest value and its version (0 before the first).</summary>
    public (long Version, T? Value) Latest
    {
        get
        {
            lock (_lock)
                return _latest;
        }
    }

    /// <summary>Completes at the next <see cref="Publish"/> (take it before reading <see cref="Latest"/>, so no value is missed).</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
                return _changed.Task;
        }
    }

    /// <summary>Makes <paramref name="value"/> the newest and wakes every reader.</summary>
    public void Publish(T value)
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            _latest = (_latest.Version + 1, value);
            woken = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        woken.SetResult();
    }
}
