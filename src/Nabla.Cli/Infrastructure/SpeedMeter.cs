using System.Diagnostics;

namespace Nabla.Cli;

/// <summary>
/// Samples per second since the last <see cref="Restart"/> (the start of an epoch): the current speed, which an average
/// since the start of the run would hide behind its first, slower epochs (the JIT, cold caches) or a resumed run's gap.
/// </summary>
internal sealed class SpeedMeter
{
    private readonly Stopwatch _clock = new();
    private long _samples;

    /// <summary>Starts counting again from now.</summary>
    public void Restart()
    {
        _samples = 0;
        _clock.Restart();
    }

    /// <summary>Counts <paramref name="samples"/> more trained samples.</summary>
    public void Add(int samples) => _samples += samples;

    /// <summary>The samples counted over the time since <see cref="Restart"/>, or null before any time has passed.</summary>
    public double? SamplesPerSecond => _clock.Elapsed.TotalSeconds is > 0 and var seconds && _samples > 0 ? _samples / seconds : null;
}
