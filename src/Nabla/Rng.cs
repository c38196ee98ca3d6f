using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// The one random-number generator of Nabla: xoshiro256** seeded through SplitMix64. It is the same
/// on every platform and .NET version, and its whole state is four numbers (<see cref="State"/>), so a
/// checkpoint can save it and a resumed run continues the exact sequence.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the generator; equal seeds give equal sequences.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The generator's state, for checkpoints.</summary>
    public ulong[] State
    {
        get => [_s0, _s1, _s2, _s3];
        set
        {
            if (value.Length != 4 || (value[0] | value[1] | value[2] | value[3]) == 0)
                throw new ArgumentException($"Expected four numbers, not all zero; received {value.Length}.", nameof(value));
            (_s0, _s1, _s2, _s3) = (value[0], value[1], value[2], value[3]);
        }
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => Step(ref _s0, ref _s1, ref _s2, ref _s3);

    /// <summary>A uniform number in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Fills <paramref name="destination"/> with the numbers <see cref="NextDouble"/> would return, in order: the same
    /// sequence, with the state in registers for the whole span instead of read and written per number.
    /// </summary>
    public void NextDoubles(Span<double> destination)
    {
        ulong s0 = _s0, s1 = _s1, s2 = _s2, s3 = _s3;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = (Step(ref s0, ref s1, ref s2, ref s3) >> 11) * (1.0 / (1UL << 53));
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
    }

    /// <summary>A uniform number in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"Expected a positive bound; received {maxExclusive}.");
        ulong bound = (ulong)maxExclusive;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>A sample of N(<paramref name="mean"/>, <paramref name="stdDev"/>²) by the Box–Muller transform.</summary>
    public double NextGaussian(double mean = 0, double stdDev = 1)
    {
        double u1 = 1.0 - NextDouble(); // in (0, 1], so the log is finite
        double u2 = NextDouble();
        return mean + stdDev * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<TItem>(Span<TItem> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>One xoshiro256** step: returns the next 64 bits and advances the state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Step(ref ulong s0, ref ulong s1, ref ulong s2, ref ulong s3)
    {
        ulong result = RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
