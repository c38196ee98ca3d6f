using System.Collections.Concurrent;
using Nabla.Playground.Engine;
using Nabla.Playground.Settings;
using Nabla.Playground.Views;
using Nabla.Playground.Web;
using Nabla.Training;

namespace Nabla.Playground.Sessions;

/// <summary>
/// One browser tab's run. Its own thread trains, inside <see cref="Trainer{T}.Fit"/>, and between batches
/// (in the training callbacks) carries out the page's commands, pauses, throttles to the chosen speed and
/// publishes frames; so the model is only ever touched by that thread, and a command from any thread is a
/// message to it. A new run (new settings, or a reset) unwinds the running <c>Fit</c> by throwing. This file is
/// the side other threads call; <c>SessionThread.cs</c> is the thread's own.
/// </summary>
internal sealed partial class Session : IDisposable
{
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private readonly Hooks _hooks;
    private readonly StepPacer _pacer = new();
    private volatile bool _closed;
    private volatile UploadedCsv? _upload;
    private volatile Started? _started;
    private long _lastSeen = Environment.TickCount64;
    private int _subscribers;

    // Touched by the session's thread only.
    private (EngineRun Engine, PlaneView Plane, PlaygroundSettings Settings)? _next;
    private EngineRun? _engine;
    private PlaneView? _plane;
    private PlaygroundSettings _settings = new();
    private TrainingContext<float>? _context;
    private int _run;
    private string _status = "paused";
    private string? _message;
    private bool _playing;
    private int _stepsLeft;
    private (int Layer, int Unit)? _focus;
    private bool _frameWanted;
    private long _nextFrame;
    private long _nextHealth;
    private IReadOnlyList<string> _warnings = [];
    private int _checks;

    /// <summary>Starts the session's thread; it waits for its first settings.</summary>
    public Session(string id)
    {
        Id = id;
        _hooks = new Hooks(this);
        _thread = new Thread(Main) { IsBackground = true, Name = $"playground session {id[..8]}" };
        _thread.Start();
    }

    /// <summary>The session's unguessable id.</summary>
    public string Id { get; }

    /// <summary>The data of each run (points, classes, the network's shape), a new value per run.</summary>
    public Broadcast<string> DataEvents { get; } = new();

    /// <summary>The frames, at most 20 a second while someone listens.</summary>
    public Broadcast<string> Frames { get; } = new();

    /// <summary>The uploaded CSV file, if any.</summary>
    public UploadedCsv? Upload
    {
        get => _upload;
        set => _upload = value;
    }

    /// <summary>Milliseconds (of <see cref="Environment.TickCount64"/>) since the session was last used or listened to.</summary>
    public long IdleMilliseconds => Volatile.Read(ref _subscribers) > 0 ? 0 : Environment.TickCount64 - Interlocked.Read(ref _lastSeen);

    /// <summary>Records that the page used the session.</summary>
    public void Touch() => Interlocked.Exchange(ref _lastSeen, Environment.TickCount64);

    /// <summary>A page starts listening: it gets a frame at once.</summary>
    public void Subscribe()
    {
        Interlocked.Increment(ref _subscribers);
        Post(() => _frameWanted = true);
    }

    /// <summary>A page stops listening.</summary>
    public void Unsubscribe()
    {
        Interlocked.Decrement(ref _subscribers);
        Touch();
    }

    /// <summary>Replaces the run with a new one, paused at iteration 0.</summary>
    public void Start(EngineRun engine, PlaneView plane, PlaygroundSettings settings)
    {
        _started = new Started(engine.Data, plane, settings);
        Post(() =>
        {
            _next = (engine, plane, settings);
            _playing = false;
            _stepsLeft = 0;
        });
    }

    /// <summary>Starts the current settings again from the same initial weights, paused at iteration 0.</summary>
    /// <exception cref="PlaygroundRequestException">The session has no settings yet.</exception>
    public void Reset()
    {
        var started = _started ?? throw new PlaygroundRequestException("The session has no run to reset yet; send its settings first.");
        Start(new EngineRun(started.Settings, started.Data), started.Plane, started.Settings);
    }

    /// <summary>Trains on without stopping.</summary>
    public void Play() => Post(() => _playing = true);

    /// <summary>Stops after the current batch.</summary>
    public void Pause() => Post(() =>
    {
        _playing = false;
        _stepsLeft = 0;
        _frameWanted = true;
    });

    /// <summary>Trains exactly one more batch, then pauses.</summary>
    public void Step() => Post(() =>
    {
        _playing = false;
        _stepsLeft++;
    });

    /// <summary>Caps the speed at <paramref name="stepsPerSecond"/> optimizer steps a second; null for as fast as it goes.</summary>
    public void SetSpeed(int? stepsPerSecond) => Post(() => _pacer.Limit = stepsPerSecond);

    /// <summary>Enlarges unit <paramref name="focus"/> (activation layer, unit), or the decision boundary for null.</summary>
    public void SetFocus((int Layer, int Unit)? focus) => Post(() =>
    {
        _focus = focus;
        _frameWanted = true;
    });

    /// <summary>Runs <paramref name="work"/> on the session's thread between batches (where the model is still) and returns its result.</summary>
    /// <exception cref="TimeoutException">The session did not get to it within <paramref name="timeout"/>.</exception>
    public async Task<T> Ask<T>(Func<ExportView, T> work, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                if (_engine is null || _plane is null || _context is null)
                    throw new InvalidOperationException("The session has no run yet; send its settings first.");
                done.SetResult(work(new ExportView(_engine, _settings, _context.History)));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return await done.Task.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Stops the thread (at its next batch) and frees the session.</summary>
    public void Dispose()
    {
        _closed = true;
        _wake.Release();
        if (Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Post(Action command)
    {
        Touch();
        _commands.Enqueue(command);
        _wake.Release();
    }
}
