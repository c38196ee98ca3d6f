using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Tests.Serialization;

/// <summary>Tensors a program builds are checked when built: these are programming errors, not input errors.</summary>
public class SafeTensorTests
{
    [Fact]
    public void Data_that_disagrees_with_the_shape_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SafeTensor.FromFloat32("w", [2, 3], [1, 2, 3]));
        Assert.Contains("dtype F32 and shape [2, 3] need 24 bytes; received 12", e.Message);
    }

    [Fact]
    public void Negative_or_overflowing_shapes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorDType.U8, [-1], []));
        Assert.Throws<ArgumentException>(() => new SafeTensor("w", SafeTensorDType.F64, [long.MaxValue / 4], []));
    }

    [Fact]
    public void The_metadata_key_and_invalid_UTF16_cannot_name_a_tensor()
    {
        Assert.Throws<ArgumentException>(() => SafeTensor.FromFloat32("__metadata__", [], [1]));
        Assert.Throws<ArgumentException>(() => SafeTensor.FromFloat32("bad\ud800", [], [1]));
    }

    [Fact]
    public void Metadata_with_invalid_UTF16_is_rejected_when_writing()
    {
        var metadata = new Dictionary<string, string> { ["k"] = "\udc00" };
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Serialize([], metadata));
    }

    [Fact]
    public void The_constructor_copies_its_data()
    {
        byte[] data = [1, 2];
        var tensor = new SafeTensor("b", SafeTensorDType.U8, [2], data);
        data[0] = 99;

        Assert.Equal([1, 2], tensor.Data.ToArray());
        Assert.Equal(2, tensor.ElementCount);
        Assert.Equal("b: U8[2]", tensor.ToString());
    }

    [Fact]
    public void A_scalar_has_one_element_and_a_zero_dimension_none()
    {
        Assert.Equal(1, SafeTensor.FromFloat64("s", [], [1]).ElementCount);
        Assert.Equal(0, SafeTensor.FromFloat64("e", [4, 0], []).ElementCount);
    }

    [Fact]
    public void Matrices_of_other_element_types_are_not_supported()
    {
        Assert.Throws<NotSupportedException>(() => SafeTensor.FromMatrix("h", new Matrix<Half>(1, 1)));
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize([SafeTensor.FromFloat32("m", [1, 1], [1])]));
        Assert.Throws<NotSupportedException>(() => file.GetMatrix<Half>("m"));
    }

    [Fact]
    public void Every_dtype_has_a_size_and_a_header_name_that_parses_back()
    {
        foreach (var dtype in Enum.GetValues<SafeTensorDType>())
        {
            Assert.Contains(dtype.SizeInBytes(), new[] { 1, 2, 4, 8 });
            Assert.True(SafeTensorDTypeExtensions.TryParseJsonName(dtype.ToJsonName(), out var parsed));
            Assert.Equal(dtype, parsed);
        }
        Assert.Equal("F8_E4M3", SafeTensorDType.F8E4M3.ToJsonName());
        Assert.False(SafeTensorDTypeExtensions.TryParseJsonName("f32", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ((SafeTensorDType)99).SizeInBytes());
    }
}
