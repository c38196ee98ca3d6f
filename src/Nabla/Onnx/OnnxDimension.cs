using System.Globalization;

namespace Nabla.Onnx;

/// <summary>One dimension of a graph input's or output's shape: a fixed size, or a named size set at run time (<c>batch</c>).</summary>
/// <param name="Value">The size, when fixed.</param>
/// <param name="Param">The name of a size set at run time, when not fixed.</param>
public readonly record struct OnnxDimension(long? Value, string? Param)
{
    /// <summary>A fixed size.</summary>
    public static OnnxDimension Of(long value) => new(value, null);

    /// <summary>A size named <paramref name="name"/>, set at run time.</summary>
    public static OnnxDimension Named(string name) => new(null, name);

    /// <summary>The size, the name, or <c>?</c> when neither is known.</summary>
    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Param ?? "?";
}
