namespace Nabla.Serialization;

/// <summary>
/// The element type of a tensor in a safetensors file, spelled in the header as the member name
/// in capitals (<c>"F32"</c>, <c>"BF16"</c>, <c>"F8_E4M3"</c>; see <see cref="SafeTensorDTypeExtensions.ToJsonName"/>).
/// </summary>
/// <remarks>
/// The members are declared, and numbered, in the order of the reference implementation's
/// <c>Dtype</c> enum (increasing alignment). The writer sorts tensors by this number, descending,
/// then by name, exactly as the reference does, so keep the numbers when adding a member.
/// The sub-byte types of newer reference versions (F4, F6_*) are not supported: a file using them
/// is rejected as having an unknown dtype.
/// </remarks>
public enum SafeTensorDType
{
    /// <summary>Boolean, one byte per element.</summary>
    Bool = 0,

    /// <summary>Unsigned 8-bit integer.</summary>
    U8 = 1,

    /// <summary>Signed 8-bit integer.</summary>
    I8 = 2,

    /// <summary>8-bit float, 5 exponent and 2 mantissa bits (<c>"F8_E5M2"</c>).</summary>
    F8E5M2 = 3,

    /// <summary>8-bit float, 4 exponent and 3 mantissa bits (<c>"F8_E4M3"</c>).</summary>
    F8E4M3 = 4,

    /// <summary>Signed 16-bit integer.</summary>
    I16 = 5,

    /// <summary>Unsigned 16-bit integer.</summary>
    U16 = 6,

    /// <summary>IEEE 754 half precision.</summary>
    F16 = 7,

    /// <summary>Brain floating point: the upper 16 bits of an IEEE 754 single.</summary>
    BF16 = 8,

    /// <summary>Signed 32-bit integer.</summary>
    I32 = 9,

    /// <summary>Unsigned 32-bit integer.</summary>
    U32 = 10,

    /// <summary>IEEE 754 single precision (<see cref="float"/>).</summary>
    F32 = 11,

    /// <summary>IEEE 754 double precision (<see cref="double"/>).</summary>
    F64 = 12,

    /// <summary>Signed 64-bit integer.</summary>
    I64 = 13,

    /// <summary>Unsigned 64-bit integer.</summary>
    U64 = 14,
}
