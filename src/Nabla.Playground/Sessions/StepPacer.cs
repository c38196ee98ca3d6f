using System.Diagnostics;

namespace Nabla.Playground.Sessions;

/// <summary>Keeps training to a chosen number of optimizer steps a second, and measures the rate it reaches.</summary>
internal sealed class StepPacer
{
    private int? _limit;
    private long _windowStart = Stopwatch.GetTimestamp(), _windowSteps;
    private long _rateStart, _rateSteps;

    /// <summary>The most steps a second, or null for as many as the engine can take.</summary>
    public int? Limit
    {
        get => _limit;
        set
        {
            _limit = value;
            (_windowStart, _windowSteps) = (Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>Steps a second over the last whole second of training; 0 while paused.</summary>
    public double StepsPerSecond { get; private set; }

    /// <summary>Counts a step; returns how long to wait before the next one to keep to <see cref="Limit"/> (zero when not ahead).</summary>
    public TimeSpan Step()
    {
        long now = Stopwatch.GetTimestamp();
        if (_rateSteps++ == 0)
            _rateStart = now;
        double measured = Stopwatch.GetElapsedTime(_rateStart, now).TotalSeconds;
        if (measured >= 1)
            (StepsPerSecond, _rateSteps) = (_rateSteps / measured, 0);
        if (_limit is not { } limit)
            return TimeSpan.Zero;
        // The budget restarts every second, so a pause or a slow frame is not made up for by a burst.
        if (Stopwatch.GetElapsedTime(_windowStart, now).TotalSeconds > 1)
            (_windowStart, _windowSteps) = (now, 0);
        double ahead = (double)++_windowSteps / limit - Stopwatch.GetElapsedTime(_windowStart, now).TotalSeconds;
        return ahead > 0.001 ? TimeSpan.FromSeconds(ahead) : TimeSpan.Zero;
    }

    /// <summary>Training paused: the measured rate drops to zero and starts afresh when it resumes.</summary>
    public void Pause()
    {
        StepsPerSecond = 0;
        _rateSteps = 0;
        (_windowStart, _windowSteps) = (Stopwatch.GetTimestamp(), 0);
    }
}
