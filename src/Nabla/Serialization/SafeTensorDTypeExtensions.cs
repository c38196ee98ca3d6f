namespace Nabla.Serialization;

/// <summary>Element size and header spelling of each <see cref="SafeTensorDType"/>.</summary>
public static class SafeTensorDTypeExtensions
{
    private static readonly string[] JsonNames =
        ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"];

    private static readonly int[] Sizes = [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8];

    /// <summary>Bytes per element: 1, 2, 4 or 8.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a declared member.</exception>
    public static int SizeInBytes(this SafeTensorDType dtype) => Sizes[Index(dtype)];

    /// <summary>The spelling in the header's <c>"dtype"</c> field, such as <c>"F32"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a declared member.</exception>
    public static string ToJsonName(this SafeTensorDType dtype) => JsonNames[Index(dtype)];

    /// <summary>
    /// Parses a header <c>"dtype"</c> value. Matching is exact and case-sensitive, as in the
    /// reference implementation: <c>"f32"</c> is not a dtype.
    /// </summary>
    public static bool TryParseJsonName(string name, out SafeTensorDType dtype)
    {
        int index = Array.IndexOf(JsonNames, name);
        dtype = index < 0 ? default : (SafeTensorDType)index;
        return index >= 0;
    }

    /// <summary>All header spellings, for error messages that say what was expected.</summary>
    internal static string SupportedJsonNames => string.Join(", ", JsonNames);

    private static int Index(SafeTensorDType dtype)
    {
        if ((uint)dtype >= (uint)JsonNames.Length)
            throw new ArgumentOutOfRangeException(nameof(dtype), $"Expected a declared SafeTensorDType; received {(int)dtype}.");
        return (int)dtype;
    }
}
