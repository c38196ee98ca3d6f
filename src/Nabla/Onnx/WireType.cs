namespace Nabla.Onnx;

/// <summary>How a protocol-buffer field's value is encoded (the low three bits of its tag).</summary>
internal enum WireType
{
    /// <summary>A base-128 varint.</summary>
    Varint = 0,

    /// <summary>Eight little-endian bytes.</summary>
    Fixed64 = 1,

    /// <summary>A varint length and that many bytes.</summary>
    LengthDelimited = 2,

    /// <summary>Four little-endian bytes.</summary>
    Fixed32 = 5,
}
