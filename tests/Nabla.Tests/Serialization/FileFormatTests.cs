using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

/// <summary>The bytes the writer produces: exact layout, determinism, and agreement with an independent reader.</summary>
public class FileFormatTests
{
    [Fact]
    public void A_small_file_has_exactly_the_hand_computed_bytes()
    {
        byte[] bytes = SafeTensorsFile.Serialize([SafeTensor.FromFloat32("a", [2], [1f, -2f])]);

        // The JSON is 54 bytes, padded with two spaces to 56 = 0x38.
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
        Assert.Equal(56, header.Length);
        byte[] expected =
        [
            .. RawFile.Hex("38 00 00 00 00 00 00 00"),
            .. Encoding.ASCII.GetBytes(header),
            .. RawFile.Hex("00 00 80 3F  00 00 00 C0"), // 1.0f and -2.0f, little-endian
        ];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes));
    }

    [Fact]
    public void Output_matches_the_reference_writers_own_test_vectors()
    {
        // The layouts the Hugging Face implementation asserts in its tests (safetensors/src/tensor.rs).
        byte[] attn = SafeTensorsFile.Serialize([SafeTensor.FromFloat32("attn.0", [1, 2, 3], [0, 1, 2, 3, 4, 5])]);
        byte[] expectedAttn =
        [
            .. RawFile.Prefix(64),
            .. Encoding.ASCII.GetBytes("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"),
            .. new[] { 0f, 1, 2, 3, 4, 5 }.SelectMany(BitConverter.GetBytes),
        ];
        Assert.Equal(expectedAttn, attn);

        Assert.Equal([.. RawFile.Prefix(8), .. "{}      "u8], SafeTensorsFile.Serialize([]));
        Assert.Equal(
            [.. RawFile.Prefix(40), .. "{\"__metadata__\":{\"framework\":\"pt\"}}     "u8],
            SafeTensorsFile.Serialize([], new Dictionary<string, string> { ["framework"] = "pt" }));
    }

    [Fact]
    public void Repeated_writes_of_the_same_tensors_give_byte_identical_files_whatever_the_input_order()
    {
        using var dir = new TempDirectory();
        var tensors = SampleTensors();
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["nabla.architecture"] = "{}" };
        var reversedMetadata = metadata.Reverse().ToDictionary();

        SafeTensorsFile.Write(dir.File("one"), tensors, metadata);
        SafeTensorsFile.Write(dir.File("two"), tensors, metadata);
        SafeTensorsFile.Write(dir.File("three"), tensors.Reverse(), reversedMetadata);

        byte[] one = File.ReadAllBytes(dir.File("one"));
        Assert.Equal(one, File.ReadAllBytes(dir.File("two")));
        Assert.Equal(one, File.ReadAllBytes(dir.File("three")));
        Assert.Equal(one, SafeTensorsFile.Serialize(tensors, metadata));
    }

    [Fact]
    public void Tensors_are_ordered_widest_dtype_first_then_by_utf8_name()
    {
        var tensors = new[]
        {
            SafeTensor.FromFloat32("b", [1], [1]),
            SafeTensor.FromFloat64("z", [1], [1]),
            SafeTensor.FromFloat32("a", [1], [1]),
            new SafeTensor("u", SafeTensorDType.U8, [1], [7]),
            SafeTensor.FromFloat32("\uFF21", [1], [1]), // U+FF21 sorts before U+1F600 in UTF-8 but after it in UTF-16
            SafeTensor.FromFloat32("\U0001F600", [1], [1]),
            new SafeTensor("i", SafeTensorDType.I64, [1], new byte[8]),
        };

        var file = IndependentReader.Parse(SafeTensorsFile.Serialize(tensors));

        Assert.Equal(["i", "z", "a", "b", "\uFF21", "\U0001F600", "u"], file.Tensors.Select(t => t.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abc")]
    [InlineData("abcd")]
    [InlineData("abcde")]
    [InlineData("abcdef")]
    [InlineData("abcdefg")]
    public void The_header_is_padded_with_spaces_to_a_multiple_of_8(string name)
    {
        byte[] bytes = SafeTensorsFile.Serialize([SafeTensor.FromFloat64("t" + name, [1], [1])]);

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        byte[] header = bytes[8..(8 + (int)n)];
        int jsonEnd = Array.LastIndexOf(header, (byte)'}') + 1;
        Assert.InRange(header.Length - jsonEnd, 0, 7);
        Assert.All(header[jsonEnd..], b => Assert.Equal((byte)' ', b));
    }

    [Fact]
    public void An_independent_reader_finds_every_tensor_where_the_header_says()
    {
        var tensors = SampleTensors();
        var metadata = new Dictionary<string, string> { ["k\"ey\n"] = "va\\lue \u00e9 \u0001" };
        byte[] bytes = SafeTensorsFile.Serialize(tensors, metadata);

        var file = IndependentReader.Parse(bytes);

        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(tensors.Length, file.Tensors.Count);
        foreach (var t in tensors)
        {
            var found = file.Tensors.Single(f => f.Name == t.Name);
            Assert.Equal(t.DType.ToJsonName(), found.DType);
            Assert.Equal(t.Shape, found.Shape);
            Assert.Equal(t.Data.ToArray(), found.Data);
        }
    }

    [Fact]
    public void Names_and_metadata_with_special_characters_survive_a_round_trip()
    {
        string name = "layer \"0\"\\weight\t\u00e9\U0001F600";
        var metadata = new Dictionary<string, string> { ["\u0000\u001f"] = "</script>&'+" };
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize([SafeTensor.FromFloat32(name, [1], [2f])], metadata));

        Assert.Equal([2f], file.GetFloat32(name));
        Assert.Equal(metadata, file.Metadata);
    }

    private static SafeTensor[] SampleTensors() =>
    [
        SafeTensor.FromFloat32("0.weight", [3, 2], [1, 2, 3, 4, 5, 6]),
        SafeTensor.FromFloat32("0.bias", [3], [0.1f, 0.2f, 0.3f]),
        SafeTensor.FromFloat64("scale", [], [2.5]),
        SafeTensor.FromFloat64("none", [2, 0], []),
        new SafeTensor("mask", SafeTensorDType.U8, [3], [1, 0, 1]),
        new SafeTensor("count", SafeTensorDType.I64, [1], BitConverter.GetBytes(-7L)),
    ];

    /// <summary>
    /// A minimal safetensors reader that shares no code with Nabla's: the u64 length, the JSON
    /// header through System.Text.Json, and offsets checked to tile the data region.
    /// </summary>
    private static class IndependentReader
    {
        private static readonly Dictionary<string, int> Sizes = new()
        {
            ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
            ["I32"] = 4, ["U32"] = 4, ["F32"] = 4, ["F64"] = 8, ["I64"] = 8, ["U64"] = 8,
        };

        public static (List<(string Name, string DType, long[] Shape, byte[] Data)> Tensors, Dictionary<string, string> Metadata) Parse(byte[] file)
        {
            long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
            Assert.True(8 + n <= file.Length);
            Assert.Equal(0, n % 8);
            long dataStart = 8 + n;
            using var json = JsonDocument.Parse(file.AsMemory(8, (int)n));
            var tensors = new List<(string Name, string DType, long[] Shape, byte[] Data)>();
            var metadata = new Dictionary<string, string>();
            long expectedBegin = 0;
            foreach (var p in json.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                {
                    metadata = p.Value.EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetString()!);
                    continue;
                }
                string dtype = p.Value.GetProperty("dtype").GetString()!;
                long[] shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long[] offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                Assert.Equal(2, offsets.Length);
                // The writer lists tensors in data order, so offsets must follow on from each other in header order.
                Assert.Equal(expectedBegin, offsets[0]);
                Assert.Equal(shape.Aggregate(1L, (a, b) => a * b) * Sizes[dtype], offsets[1] - offsets[0]);
                // Every tensor starts aligned to its element size within the file.
                Assert.Equal(0, (dataStart + offsets[0]) % Sizes[dtype]);
                expectedBegin = offsets[1];
                tensors.Add((p.Name, dtype, shape, file[(int)(dataStart + offsets[0])..(int)(dataStart + offsets[1])]));
            }
            Assert.Equal(file.Length - dataStart, expectedBegin);
            return (tensors, metadata);
        }
    }
}
