using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Tests.Serialization;

public class RoundTripTests
{
    public static TheoryData<long[]> Shapes => new()
    {
        Array.Empty<long>(), // scalar: one element
        new long[] { 0 },
        new long[] { 5 },
        new long[] { 2, 3 },
        new long[] { 3, 0, 4 },
        new long[] { 1, 1, 1, 7 },
        new long[] { 2, 3, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32_tensor_survives_a_file_round_trip(long[] shape)
    {
        using var dir = new TempDirectory();
        float[] values = Values(shape).Select(v => (float)v).ToArray();
        string path = dir.File("model.safetensors");

        SafeTensorsFile.Write(path, [SafeTensor.FromFloat32("w", shape, values)]);
        var file = SafeTensorsFile.Read(path);

        Assert.Equal(SafeTensorDType.F32, file["w"].DType);
        Assert.Equal(shape, file["w"].Shape);
        Assert.Equal(values, file.GetFloat32("w"));
        Assert.Equal(path, file.Path);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float64_tensor_survives_a_file_round_trip(long[] shape)
    {
        using var dir = new TempDirectory();
        double[] values = Values(shape);
        string path = dir.File("model.safetensors");

        SafeTensorsFile.Write(path, [SafeTensor.FromFloat64("w", shape, values)]);
        var file = SafeTensorsFile.Read(path);

        Assert.Equal(SafeTensorDType.F64, file["w"].DType);
        Assert.Equal(shape, file["w"].Shape);
        Assert.Equal(values, file.GetFloat64("w"));
    }

    [Fact]
    public void Several_tensors_and_metadata_round_trip_through_bytes_and_streams()
    {
        var tensors = new[]
        {
            SafeTensor.FromFloat32("0.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
            SafeTensor.FromFloat32("0.bias", [2], [-0.5f, 0.25f]),
            SafeTensor.FromFloat64("2.weight", [1, 2], [Math.PI, -Math.E]),
            SafeTensor.FromFloat64("empty", [0, 3], []),
            new SafeTensor("step", SafeTensorDType.I64, [], BitConverter.GetBytes(42L)),
        };
        var metadata = new Dictionary<string, string> { ["nabla.architecture"] = "{\"layers\":[2,3]}", ["format"] = "pt" };
        byte[] bytes = SafeTensorsFile.Serialize(tensors, metadata);

        foreach (var file in new[]
        {
            SafeTensorsFile.Read(bytes),
            SafeTensorsFile.Read(new MemoryStream(bytes)),
            SafeTensorsFile.Read(new NonSeekableStream(bytes), "pipe"),
        })
        {
            Assert.Equal(metadata, file.Metadata);
            Assert.Equal(tensors.Select(t => t.Name).Order(), file.Tensors.Select(t => t.Name).Order());
            foreach (var t in tensors)
            {
                Assert.Equal(t.DType, file[t.Name].DType);
                Assert.Equal(t.Shape, file[t.Name].Shape);
                Assert.Equal(t.Data.ToArray(), file[t.Name].Data.ToArray());
            }
            Assert.Equal([1f, 2, 3, 4, 5, 6], file.GetFloat32("0.weight"));
            Assert.Equal([Math.PI, -Math.E], file.GetFloat64("2.weight"));
        }
    }

    [Fact]
    public void Read_from_a_stream_starts_at_its_current_position()
    {
        byte[] file = SafeTensorsFile.Serialize([SafeTensor.FromFloat32("x", [1], [3f])]);
        var stream = new MemoryStream([0xAA, 0xBB, .. file]) { Position = 2 };

        Assert.Equal([3f], SafeTensorsFile.Read(stream).GetFloat32("x"));
    }

    [Fact]
    public void Float32_widens_to_float64_exactly_and_float64_rounds_to_nearest_float32()
    {
        float[] singles = [0.1f, -3.4028235e38f, 1e-45f, float.NaN, float.NegativeInfinity];
        double[] doubles = [0.1, 1e300, -1e-300, 1.0000001];
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize(
            [SafeTensor.FromFloat32("s", [5], singles), SafeTensor.FromFloat64("d", [4], doubles)]));

        Assert.Equal(singles.Select(v => (double)v), file.GetFloat64("s"));
        Assert.Equal([0.1f, float.PositiveInfinity, -0f, 1.0000001f], file.GetFloat32("d"));
    }

    [Fact]
    public void Half_precision_tensors_widen_exactly()
    {
        Half[] halves = [(Half)1.5f, (Half)(-0.333f), Half.MaxValue];
        var f16 = halves.SelectMany(h => BitConverter.GetBytes(h)).ToArray();
        // bfloat16 is the upper half of a float: 1.0f = 0x3F800000 → 0x3F80; -2.5f = 0xC0200000 → 0xC020.
        byte[] bf16 = [0x80, 0x3F, 0x20, 0xC0];
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize(
        [
            new SafeTensor("h", SafeTensorDType.F16, [3], f16),
            new SafeTensor("b", SafeTensorDType.BF16, [2], bf16),
        ]));

        Assert.Equal(halves.Select(h => (float)h), file.GetFloat32("h"));
        Assert.Equal(halves.Select(h => (double)h), file.GetFloat64("h"));
        Assert.Equal([1f, -2.5f], file.GetFloat32("b"));
        Assert.Equal([1.0, -2.5], file.GetFloat64("b"));
    }

    [Fact]
    public void Matrices_round_trip_as_two_dimensional_tensors()
    {
        var single = Matrix<float>.FromRows([1, 2, 3], [4, 5, 6]);
        var dbl = Matrix<double>.FromRows([0.5], [-0.25]);
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize(
            [SafeTensor.FromMatrix("f", single), SafeTensor.FromMatrix("d", dbl)]));

        Assert.Equal([2L, 3], file["f"].Shape);
        Assert.Equal(SafeTensorDType.F32, file["f"].DType);
        Assert.Equal(single.Span.ToArray(), file.GetMatrix<float>("f").Span.ToArray());
        Assert.Equal(dbl.Span.ToArray(), file.GetMatrix<double>("d").Span.ToArray());
        var widened = file.GetMatrix<double>("f");
        Assert.Equal((2, 3), (widened.Rows, widened.Cols));
    }

    [Fact]
    public void An_empty_file_with_no_tensors_round_trips()
    {
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize([]));

        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    private static double[] Values(long[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        return Enumerable.Range(0, (int)count).Select(i => i * 0.37 - 1.1).ToArray();
    }

    /// <summary>A read-only stream that cannot seek, like a pipe.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
