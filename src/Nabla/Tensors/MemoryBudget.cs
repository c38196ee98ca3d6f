using System.Globalization;

namespace Nabla.Tensors;

/// <summary>
/// The memory this process may use, and the check that refuses work which cannot fit before anything is allocated,
/// with the estimate in the message (a generator asked for two billion samples, a network of ten billion weights).
/// </summary>
public static class MemoryBudget
{
    /// <summary>Bytes the garbage collector may use: the machine's memory, or the container's or job's limit.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Throws unless <paramref name="bytes"/> fit in <see cref="AvailableBytes"/> and <paramref name="largestArray"/> elements
    /// fit in one .NET array (<see cref="Array.MaxLength"/>).
    /// </summary>
    /// <param name="bytes">The estimate.</param>
    /// <param name="largestArray">Elements of the largest single array the work needs.</param>
    /// <param name="subject">What needs it: <c>"2,000,000,000 samples of moons"</c>.</param>
    /// <param name="parts">The estimate's parts, shown after it in parentheses, or null.</param>
    /// <param name="largestArrayHolds">What the largest array holds, for the message, or null.</param>
    /// <param name="advice">How to need less: <c>"Ask for fewer samples."</c></param>
    /// <exception cref="InsufficientMemoryException">It does not fit; the message gives the estimate and the limit.</exception>
    public static void Check(long bytes, long largestArray, string subject, string? parts, string? largestArrayHolds, string advice)
    {
        if (largestArray > Array.MaxLength)
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"{subject} needs an array of {largestArray:N0} values{(largestArrayHolds is null ? "" : $" ({largestArrayHolds})")}; a .NET array holds at most {Array.MaxLength:N0}. {advice}"));
        long available = AvailableBytes;
        if (bytes > available)
            throw new InsufficientMemoryException(
                $"{subject} needs about {Format(bytes)}{(parts is null ? "" : $" ({parts})")}; this machine lets the process use {Format(available)}. {advice}");
    }

    /// <summary><c>512 B</c>, <c>3.2 MiB</c>, <c>37.3 GiB</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B") : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary><paramref name="a"/> × <paramref name="b"/>, or <see cref="long.MaxValue"/> when that overflows (sizes are never negative).</summary>
    public static long Times(long a, long b) => a == 0 || b <= long.MaxValue / a ? a * b : long.MaxValue;

    /// <summary>The sum, or <see cref="long.MaxValue"/> when it overflows.</summary>
    public static long Plus(params ReadOnlySpan<long> terms)
    {
        long sum = 0;
        foreach (long t in terms)
            sum = t > long.MaxValue - sum ? long.MaxValue : sum + t;
        return sum;
    }
}
