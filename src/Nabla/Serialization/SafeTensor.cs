using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Nabla.Tensors;

namespace Nabla.Serialization;

/// <summary>
/// One named tensor of a safetensors file: its element type, its shape (row-major, C order) and its
/// raw little-endian bytes. Immutable: the factories copy what they are given.
/// </summary>
/// <remarks>
/// A scalar has the empty shape <c>[]</c> and one element; a shape with a zero dimension has no
/// elements and no bytes. To read the values as numbers, use <see cref="SafeTensorsFile.GetFloat32"/>
/// or <see cref="SafeTensorsFile.GetFloat64"/> on the file the tensor came from.
/// </remarks>
public sealed class SafeTensor
{
    // Names must survive the trip to UTF-8 and back unchanged: a lone surrogate would be
    // silently replaced by U+FFFD with the default encoder, so a strict one rejects it.
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly long[] _shape;

    /// <summary>
    /// Creates a tensor from raw little-endian bytes, which are copied. <paramref name="data"/> must
    /// hold exactly product(<paramref name="shape"/>) × <see cref="SafeTensorDTypeExtensions.SizeInBytes"/> bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The name is reserved or not valid UTF-16, a dimension is
    /// negative, the element count overflows, or the data length disagrees with the shape.</exception>
    public SafeTensor(string name, SafeTensorDType dtype, ReadOnlySpan<long> shape, ReadOnlySpan<byte> data)
        : this(name, dtype, shape.ToArray(), (ReadOnlyMemory<byte>)data.ToArray())
    {
    }

    // Shared by the public constructor (after copying) and the reader (whose buffer nobody else
    // holds); both validate, so a SafeTensor is always self-consistent.
    internal SafeTensor(string name, SafeTensorDType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SafeTensorsFile.MetadataKey)
            throw new ArgumentException($"'{SafeTensorsFile.MetadataKey}' is reserved for the metadata and cannot name a tensor.", nameof(name));
        try
        {
            StrictUtf8.GetByteCount(name);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"Tensor name '{name}' is not valid UTF-16 (it holds a lone surrogate).", nameof(name), e);
        }

        long bytes = ByteCountOf(shape, dtype)
            ?? throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape)}] must have non-negative dimensions whose byte count fits in 64 bits.", nameof(shape));
        if (data.Length != bytes)
            throw new ArgumentException($"Tensor '{name}': dtype {dtype.ToJsonName()} and shape [{string.Join(", ", shape)}] need {bytes} bytes; received {data.Length}.", nameof(data));

        Name = name;
        DType = dtype;
        _shape = shape;
        ElementCount = bytes / dtype.SizeInBytes();
        Data = data;
    }

    /// <summary>The tensor's name, such as <c>"0.weight"</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafeTensorDType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>The raw little-endian bytes, <see cref="ElementCount"/> × element size of them.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Creates an F32 tensor of the given shape from <paramref name="values"/> (copied).</summary>
    /// <exception cref="ArgumentException">The shape disagrees with the number of values, or see <see cref="SafeTensor(string, SafeTensorDType, ReadOnlySpan{long}, ReadOnlySpan{byte})"/>.</exception>
    public static SafeTensor FromFloat32(string name, ReadOnlySpan<long> shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return new SafeTensor(name, SafeTensorDType.F32, shape.ToArray(), (ReadOnlyMemory<byte>)bytes);
    }

    /// <summary>Creates an F64 tensor of the given shape from <paramref name="values"/> (copied).</summary>
    /// <exception cref="ArgumentException">The shape disagrees with the number of values, or see <see cref="SafeTensor(string, SafeTensorDType, ReadOnlySpan{long}, ReadOnlySpan{byte})"/>.</exception>
    public static SafeTensor FromFloat64(string name, ReadOnlySpan<long> shape, ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        return new SafeTensor(name, SafeTensorDType.F64, shape.ToArray(), (ReadOnlyMemory<byte>)bytes);
    }

    /// <summary>Creates an I64 tensor of the given shape from <paramref name="values"/> (copied); a scalar has shape <c>[]</c>.</summary>
    /// <exception cref="ArgumentException">The shape disagrees with the number of values, or see <see cref="SafeTensor(string, SafeTensorDType, ReadOnlySpan{long}, ReadOnlySpan{byte})"/>.</exception>
    public static SafeTensor FromInt64(string name, ReadOnlySpan<long> shape, ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return new SafeTensor(name, SafeTensorDType.I64, shape.ToArray(), (ReadOnlyMemory<byte>)bytes);
    }

    /// <summary>
    /// Creates a tensor of shape <c>[Rows, Cols]</c> from a matrix: F32 for <see cref="float"/>,
    /// F64 for <see cref="double"/>.
    /// </summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static SafeTensor FromMatrix<T>(string name, Matrix<T> matrix) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        long[] shape = [matrix.Rows, matrix.Cols];
        if (typeof(T) == typeof(float))
            return FromFloat32(name, shape, MemoryMarshal.Cast<T, float>(matrix.Span));
        if (typeof(T) == typeof(double))
            return FromFloat64(name, shape, MemoryMarshal.Cast<T, double>(matrix.Span));
        throw new NotSupportedException($"Safetensors matrices are float (F32) or double (F64); received {typeof(T).Name}.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {DType.ToJsonName()}[{string.Join(", ", _shape)}]";

    /// <summary>
    /// <paramref name="shape"/> as <c>[2, 3]</c> for a message. A shape read from a hostile file may
    /// have millions of dimensions, so beyond <see cref="ShownDimensions"/> it is cut: <c>[1, 1, … (5000 dimensions)]</c>.
    /// </summary>
    internal static string FormatShape(IReadOnlyList<long> shape) => shape.Count <= ShownDimensions
        ? $"[{string.Join(", ", shape)}]"
        : $"[{string.Join(", ", shape.Take(ShownDimensions))}, … ({shape.Count} dimensions)]";

    private const int ShownDimensions = 8;

    /// <summary>
    /// Bytes a tensor of this dtype and shape occupies, or null if a dimension is negative or the
    /// count overflows 64 bits.
    /// </summary>
    /// <remarks>Multiplies left to right like the reference, so [huge, huge, 0] overflows even though the product is 0.</remarks>
    internal static long? ByteCountOf(ReadOnlySpan<long> shape, SafeTensorDType dtype)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0 || (d != 0 && count > long.MaxValue / d))
                return null;
            count *= d;
        }
        int size = dtype.SizeInBytes();
        return count > long.MaxValue / size ? null : count * size;
    }
}
