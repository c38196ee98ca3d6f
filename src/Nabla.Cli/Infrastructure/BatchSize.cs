using System.Globalization;

namespace Nabla.Cli;

/// <summary>
/// A <c>--batch-size</c> value: a number of samples, or <c>full</c>. A struct, not an <c>int?</c>, because the
/// command-line parser cannot hold a parsed null (<c>full</c> would fail to convert), and so that <c>full</c> given
/// again equals a resumed run's default.
/// </summary>
/// <param name="Samples">Samples per step; null for the full batch.</param>
internal readonly record struct BatchSize(int? Samples)
{
    /// <summary><c>64</c> or <c>full</c>.</summary>
    public override string ToString() => Samples?.ToString(CultureInfo.InvariantCulture) ?? "full";
}
