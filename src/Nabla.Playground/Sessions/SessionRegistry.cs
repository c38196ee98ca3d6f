using System.Collections.Concurrent;
using System.Security.Cryptography;
using Nabla.Playground.Web;

namespace Nabla.Playground.Sessions;

/// <summary>
/// The open sessions, at most <see cref="PlaygroundLimits.MaxSessions"/>: one per browser tab, closed when the
/// tab says goodbye or after <see cref="PlaygroundLimits.IdleSessionTimeout"/> without a listener.
/// </summary>
internal sealed class SessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Timer _reaper;
    private readonly int _capacity;
    private readonly TimeSpan _idleTimeout;
    private readonly object _createLock = new();

    /// <summary>A registry of at most <paramref name="capacity"/> sessions, each closed after <paramref name="idleTimeout"/> unheard.</summary>
    public SessionRegistry(int capacity, TimeSpan idleTimeout)
    {
        _capacity = capacity;
        _idleTimeout = idleTimeout;
        var period = TimeSpan.FromSeconds(Math.Clamp(idleTimeout.TotalSeconds / 4, 0.1, 10));
        _reaper = new Timer(_ => CloseIdle(), null, period, period);
    }

    /// <summary>Number of open sessions.</summary>
    public int Count => _sessions.Count;

    /// <summary>Opens a session.</summary>
    /// <exception cref="PlaygroundRequestException">(503) <see cref="PlaygroundLimits.MaxSessions"/> sessions are open.</exception>
    public Session Create()
    {
        lock (_createLock)
        {
            if (_sessions.Count >= _capacity)
                throw new PlaygroundRequestException(
                    $"The playground already has {_capacity} open sessions, the most it serves at once; close another playground tab (or wait a minute for closed ones to expire) and reload.", 503);
            var session = new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            _sessions[session.Id] = session;
            return session;
        }
    }

    /// <summary>The session <paramref name="id"/>.</summary>
    /// <exception cref="PlaygroundRequestException">(404) No open session has that id.</exception>
    public Session Get(string id)
    {
        if (_sessions.TryGetValue(id, out var session))
        {
            session.Touch();
            return session;
        }
        throw new PlaygroundRequestException($"No open session has the id '{(id.Length <= 40 ? id : id[..40] + "…")}'; it may have expired. Reload the page.", 404);
    }

    /// <summary>Closes the session <paramref name="id"/>, if open.</summary>
    public void Close(string id)
    {
        if (_sessions.TryRemove(id, out var session))
            session.Dispose();
    }

    /// <summary>Closes every session.</summary>
    public void Dispose()
    {
        _reaper.Dispose();
        foreach (var id in _sessions.Keys)
            Close(id);
    }

    private void CloseIdle()
    {
        foreach (var (id, session) in _sessions)
            if (session.IdleMilliseconds > _idleTimeout.TotalMilliseconds)
                Close(id);
    }
}
