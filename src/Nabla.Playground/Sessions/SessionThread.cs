using System.Diagnostics;
using Nabla.Playground.Engine;
using Nabla.Playground.Settings;
using Nabla.Playground.Views;
using Nabla.Training;

namespace Nabla.Playground.Sessions;

/// <summary>The session's thread: its loop over runs, the training callbacks, pacing and frames.</summary>
internal sealed partial class Session
{
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
        ThrowIfReplaced();
        var wait = TimeSpan.Zero;
        if (_playing || _stepsLeft > 0)
        {
            _status = "playing";
            wait = _pacer.Step();
        }
        if (_stepsLeft > 0)
            _stepsLeft--;
        if (!_playing && _stepsLeft == 0)
            WaitWhilePaused();
        else
            Sleep(wait);
        if (Stopwatch.GetTimestamp() >= _nextFrame && Volatile.Read(ref _subscribers) > 0)
            Publish();
    }

    /// <summary>Carries out commands (publishing a frame when one is wanted) until the page plays or steps.</summary>
    private void WaitWhilePaused()
    {
        _pacer.Pause();
        while (!_playing && _stepsLeft == 0)
        {
            if (_status != "paused" || _frameWanted)
            {
                _status = "paused";
                Publish();
            }
            Idle();
            ThrowIfReplaced();
        }
    }

    /// <summary>Waits <paramref name="wait"/> to keep to the speed limit, carrying out commands meanwhile.</summary>
    private void Sleep(TimeSpan wait)
    {
        long until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        for (long now = Stopwatch.GetTimestamp(); now < until && (_playing || _stepsLeft > 0); now = Stopwatch.GetTimestamp())
        {
            _wake.Wait(TimeSpan.FromSeconds(Math.Min(0.05, (double)(until - now) / Stopwatch.Frequency)));
            RunCommands();
            ThrowIfReplaced();
        }
    }

    private void ThrowIfReplaced()
    {
        if (_next is not null)
            throw new NewRun();
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
        var history = _context?.History;
        var state = new FrameState(_run, _status, _message, history?.IterationLoss.Count ?? 0, _context?.Epoch ?? 0, _context?.Batch ?? 0,
            _pacer.StepsPerSecond, _focus, _warnings, _checks);
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
            session.WaitWhilePaused();
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
