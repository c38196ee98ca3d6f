using System.Buffers.Binary;
using System.Text;

namespace Nabla.Tests.Serialization;

/// <summary>Builds safetensors bytes by hand, valid or not, for tests of the reader.</summary>
internal static class RawFile
{
    /// <summary>The 8-byte length of <paramref name="header"/> (as UTF-8), the header, then <paramref name="data"/>.</summary>
    public static byte[] Build(string header, byte[]? data = null) =>
        Build(Encoding.UTF8.GetBytes(header), data ?? []);

    public static byte[] Build(byte[] header, byte[] data) =>
        [.. Prefix((ulong)header.Length), .. header, .. data];

    public static byte[] Prefix(ulong headerLength)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLength);
        return prefix;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
}
