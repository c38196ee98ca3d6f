using System.Collections.Concurrent;
using System.Diagnostics;
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
/// message to it. A new run (new settings, or a reset) unwinds the running <c>Fit</c> by throwing.
/// </summary>
internal sealed class Session : IDisposable
{
    private readonly ConcurrentQueue<Action> _commands = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private readonly Hooks _hooks;
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
    private int? _speed;
    private (int Layer, int Unit)? _focus;
    private bool _frameWanted;
    private long _nextFrame;
    private long _nextHealth;
    private IReadOnlyList<string> _warnings = [];
    private int _checks;
    private long _throttleStart, _throttleSteps;
    private long _rateStart, _rateSteps;
    private double _stepsPerSecond;

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
    public void SetSpeed(int? stepsPerSecond) => Post(() =>
    {
        _speed = stepsPerSecond;
        _throttleStart = Stopwatch.GetTimestamp();
        _throttleSteps = 0;
    });

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

    private void Main()
    {
        while (!_closed)
        {
            try
            {
                RunOnce();
            }
            catch (SessionClosed)
            {
                return;
            }
            catch (Exception e)
            {
                // Even the frame of a failed run could not be written: forget the run and wait for new settings.
                (_engine, _plane, _context) = (null, null, null);
                Frames.Publish(FrameWriter.Failure(_run, $"The session failed ({e.GetType().Name}: {e.Message}); reload the page, and please report it."));
            }
        }
    }

    /// <summary>Starts the next run if there is one, trains it until it ends, and waits for the one after.</summary>
    private void RunOnce()
    {
        if (_next is { } next)
            Begin(next);
        if (_engine is null)
        {
            Idle();
            return;
        }
        string status, message;
        try
        {
            _engine.Fit(_hooks);
            (status, message) = ("finished", $"Stopped at the playground's limit of {PlaygroundLimits.MaxIterations:N0} steps; the command below trains on.");
        }
        catch (NewRun)
        {
            return;
        }
        catch (TrainingDivergedException e)
        {
            (status, message) = ("diverged", $"Training diverged: {e.Message} Lower the learning rate and reset.");
        }
        catch (Exception e) when (e is not SessionClosed)
        {
            (status, message) = ("error", $"The run stopped on an internal error ({e.GetType().Name}: {e.Message}); reset to start again, and please report it.");
        }
        Stop(status, message);
    }

    /// <summary>Makes <paramref name="next"/> the current run and tells the page about its data.</summary>
    private void Begin((EngineRun Engine, PlaneView Plane, PlaygroundSettings Settings) next)
    {
        (_engine, _plane, _settings) = next;
        _next = null;
        _context = null;
        _run++;
        _status = "paused";
        _message = null;
        _warnings = [];
        _checks = 0;
        _nextHealth = 0;
        DataEvents.Publish(FrameWriter.Data(_run, SettingsText.Format(_settings), _engine, _plane));
    }

    /// <summary>The run cannot go on: say why, then wait for a new one.</summary>
    private void Stop(string status, string message)
    {
        _status = status;
        _message = message;
        _playing = false;
        Publish();
        while (_next is null)
            Idle();
    }

    /// <summary>Waits for a command (or a second), carries out what came, and publishes a frame if one is wanted.</summary>
    private void Idle(int milliseconds = 1000)
    {
        _wake.Wait(milliseconds);
        RunCommands();
        if (_frameWanted && _engine is not null)
            Publish();
    }

    private void RunCommands()
    {
        if (_closed)
            throw new SessionClosed();
        while (_commands.TryDequeue(out var command))
            command();
    }

    /// <summary>Between two batches: commands, pause, speed limit, frames. Throws <see cref="NewRun"/> when the run is replaced.</summary>
    private void BetweenBatches()
    {
        RunCommands();
        if (_next is not null)
            throw new NewRun();
        if (_playing || _stepsLeft > 0)
        {
            _status = "playing";
            CountStep();
        }
        if (_stepsLeft > 0)
            _stepsLeft--;
        while (!_playing && _stepsLeft == 0)
        {
            if (_status != "paused" || _frameWanted)
            {
                _status = "paused";
                Publish();
            }
            Idle();
            if (_next is not null)
                throw new NewRun();
        }
        Throttle();
        if (Stopwatch.GetTimestamp() >= _nextFrame && Volatile.Read(ref _subscribers) > 0)
            Publish();
    }

    /// <summary>Sleeps (waking for commands) while the run is ahead of the chosen speed.</summary>
    private void Throttle()
    {
        if (_speed is not { } speed)
            return;
        _throttleSteps++;
        while (true)
        {
            double ahead = (double)_throttleSteps / speed - Stopwatch.GetElapsedTime(_throttleStart).TotalSeconds;
            if (ahead < 0.001)
                break;
            _wake.Wait(TimeSpan.FromSeconds(Math.Min(ahead, 0.05)));
            RunCommands();
            if (_next is not null)
                throw new NewRun();
            if (!_playing && _stepsLeft == 0)
                break;
        }
        if (Stopwatch.GetElapsedTime(_throttleStart).TotalSeconds > 1)
        {
            _throttleStart = Stopwatch.GetTimestamp();
            _throttleSteps = 0;
        }
    }

    private void CountStep()
    {
        long now = Stopwatch.GetTimestamp();
        if (_rateSteps == 0)
            _rateStart = now;
        _rateSteps++;
        double seconds = Stopwatch.GetElapsedTime(_rateStart, now).TotalSeconds;
        if (seconds >= 1)
        {
            _stepsPerSecond = _rateSteps / seconds;
            _rateSteps = 0;
        }
    }

    /// <summary>
    /// Writes and publishes a frame. The next one is due at least 50 ms later (20 a second at most), and up to 250 ms
    /// later when frames are slow to make (large data), so drawing takes at most about a fifth of the thread's time; the
    /// cap keeps one slow frame (the first pays for compiling the code) from stalling the stream.
    /// </summary>
    private void Publish()
    {
        _frameWanted = false;
        if (_engine is null || _plane is null)
            return;
        long start = Stopwatch.GetTimestamp();
        if (start >= _nextHealth && _context is not null)
        {
            var health = _engine.Health();
            (_warnings, _checks) = (health.Warnings, health.Checks.Count);
            _nextHealth = start + Stopwatch.Frequency;
        }
        if (!_playing)
            _stepsPerSecond = 0;
        var history = _context?.History;
        var state = new FrameState(_run, _status, _message, history?.IterationLoss.Count ?? 0, _context?.Epoch ?? 0, _context?.Batch ?? 0,
            _stepsPerSecond, _focus, _warnings, _checks);
        Frames.Publish(FrameWriter.Frame(state, _engine, _plane));
        long cost = Stopwatch.GetTimestamp() - start;
        _nextFrame = Stopwatch.GetTimestamp() + Math.Clamp(4 * cost, Stopwatch.Frequency / 20, Stopwatch.Frequency / 4);
    }

    /// <summary>The training callbacks: a pause point after every batch, taken after the epoch's end for its last batch.</summary>
    private sealed class Hooks(Session session) : ITrainingCallback<float>
    {
        public void OnTrainBegin(TrainingContext<float> context)
        {
            session._context = context;
            session._status = "paused";
            session.Publish();
            while (!session._playing && session._stepsLeft == 0)
            {
                session.Idle();
                if (session._next is not null)
                    throw new NewRun();
            }
        }

        public void OnBatchEnd(TrainingContext<float> context)
        {
            if (context.Batch < context.BatchesPerEpoch)
                session.BetweenBatches();
        }

        // After the snapshot callback, so a pause at an epoch's end can export that epoch.
        public void OnEpochEnd(TrainingContext<float> context) => session.BetweenBatches();
    }

    /// <summary>What the last run was started from, so a reset can start it again.</summary>
    private sealed record Started(RunData Data, PlaneView Plane, PlaygroundSettings Settings);

    /// <summary>Unwinds <c>Fit</c> when a new run replaces the current one.</summary>
    private sealed class NewRun : Exception;

    /// <summary>Unwinds <c>Fit</c> when the session closes.</summary>
    private sealed class SessionClosed : Exception;
}

/// <summary>What an export reads, on the session's thread.</summary>
/// <param name="Engine">The run.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="History">What it has recorded so far.</param>
internal sealed record ExportView(EngineRun Engine, PlaygroundSettings Settings, History History);
