using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

/// <summary>Every kind of broken or hostile file is rejected with a <see cref="NablaInputException"/> that says what is wrong.</summary>
public class HostileFileTests
{
    private const string F32Pair = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /// <summary>Each case: the file's bytes and a piece of the message that pins down the problem.</summary>
    private static readonly Dictionary<string, (byte[] Bytes, string Expect)> Cases = new()
    {
        ["empty file"] = ([], "expected at least 8 bytes"),
        ["7 bytes"] = ([8, 0, 0, 0, 0, 0, 0], "received 7"),
        ["header length beyond the file"] = ([.. RawFile.Prefix(100), .. "{}        "u8], "declare a header of 100 bytes, but only 10 bytes follow"),
        ["header length beyond 100 MB"] = ([.. RawFile.Prefix(100_000_001), .. "{}"u8], "expected at most 100000000"),
        ["header length 2^64-1"] = ([.. RawFile.Prefix(ulong.MaxValue), .. "{}"u8], "declare a header of 18446744073709551615 bytes"),
        ["truncated JSON"] = (RawFile.Build("{\"a\":{\"dtype\":"), "not valid JSON at file offset 22: Expected depth to be zero"),
        ["JSON with garbage after it"] = (RawFile.Build("{} x"), "not valid JSON at file offset 11: 'x' is invalid"),
        ["JSON error on a later line"] = (RawFile.Build("{\n\n  x}"), "not valid JSON at line 3, byte 2 of the header"),
        ["NUL padding"] = (RawFile.Build("{}\0\0\0\0\0\0"), "not valid JSON"),
        ["comment in JSON"] = (RawFile.Build("{/*x*/}"), "not valid JSON"),
        ["invalid UTF-8"] = (RawFile.Build([.. "{\""u8, 0xFF, .. "\":1}"u8], []), "not valid UTF-8 at file offset 10"),
        ["deep nesting"] = (RawFile.Build(new string('[', 1000) + new string(']', 1000)), "not valid JSON"),
        ["array root"] = (RawFile.Build("[1,2]"), "expected the header to be a JSON object; received an array"),
        ["string root"] = (RawFile.Build("\"hi\""), "received the string 'hi'"),
        ["entry not an object"] = (RawFile.Build("{\"a\":5}"), "tensor 'a': expected an object"),
        ["missing dtype"] = (RawFile.Build("{\"a\":{\"shape\":[],\"data_offsets\":[0,0]}}"), "tensor 'a': missing \"dtype\""),
        ["missing shape"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"data_offsets\":[0,0]}}"), "tensor 'a': missing \"shape\""),
        ["missing data_offsets"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[0]}}"), "tensor 'a': missing \"data_offsets\""),
        ["dtype not a string"] = (RawFile.Build("{\"a\":{\"dtype\":32,\"shape\":[],\"data_offsets\":[0,4]}}"), "expected \"dtype\" to be a string; received the number '32'"),
        ["unknown dtype"] = (RawFile.Build("{\"a\":{\"dtype\":\"F128\",\"shape\":[],\"data_offsets\":[0,16]}}"), "unknown dtype 'F128'; expected one of BOOL"),
        ["lower-case dtype"] = (RawFile.Build("{\"a\":{\"dtype\":\"f32\",\"shape\":[],\"data_offsets\":[0,4]}}", new byte[4]), "unknown dtype 'f32'"),
        ["shape not an array"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":\"2\",\"data_offsets\":[0,2]}}"), "expected \"shape\" to be an array of non-negative integers; received the string '2'"),
        ["negative dimension"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}"), "expected \"shape\"[0] to be a non-negative integer below 2^63; received '-1'"),
        ["fractional dimension"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[2,1.5],\"data_offsets\":[0,3]}}"), "\"shape\"[1] to be a non-negative integer below 2^63; received '1.5'"),
        ["exponent dimension"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[1e3],\"data_offsets\":[0,1000]}}"), "received '1e3'"),
        ["dimension beyond 2^63"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[9223372036854775808],\"data_offsets\":[0,0]}}"), "received '9223372036854775808'"),
        ["null dimension"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[null],\"data_offsets\":[0,0]}}"), "received 'null'"),
        ["shape product overflow"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}"), "overflows 64 bits"),
        ["byte count overflow"] = (RawFile.Build("{\"a\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,0]}}"), "overflows 64 bits"),
        ["one data offset"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0]}}"), "expected \"data_offsets\" to be an array of 2 non-negative integers; received 1 elements"),
        ["three data offsets"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0,0]}}"), "received 3 elements"),
        ["negative data offset"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[-4,-4]}}"), "\"data_offsets\"[0] to be a non-negative integer"),
        ["end before begin"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4]), "tensor 'a' (data_offsets [4, 0]): expected end >= begin"),
        ["size disagrees with shape"] = (RawFile.Build("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]), "dtype F32 and shape [2, 3] need 24 bytes; the offsets span 20"),
        ["offsets beyond the data"] = (RawFile.Build(F32Pair, new byte[4]), "expected offsets within the 4-byte data region"),
        ["huge offsets beyond the data"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[1099511627776],\"data_offsets\":[0,1099511627776]}}", new byte[8]), "ends 1099511627768 bytes beyond it"),
        ["no data at all"] = (RawFile.Build(F32Pair), "within the 0-byte data region"),
        ["overlapping tensors"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", new byte[6]), "tensor 'b' (data_offsets [2, 6]): overlaps tensor 'a' (data_offsets [0, 4])"),
        ["identical tensors"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}}", new byte[4]), "overlaps tensor 'a'"),
        ["gap between tensors"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6]}}", new byte[6]), "data bytes 2..4 (file offsets"),
        ["gap at the start"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", new byte[4]), "data bytes 0..2"),
        ["trailing garbage"] = (RawFile.Build(F32Pair, new byte[12]), "4 trailing byte(s) at file offsets 70..74"),
        ["data but no tensors"] = (RawFile.Build("{}", [1]), "1 trailing byte(s)"),
        ["duplicate tensor names"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}"), "the header names 'a' twice"),
        ["duplicate field"] = (RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}"), "\"dtype\" appears twice"),
        ["metadata not an object"] = (RawFile.Build("{\"__metadata__\":[\"x\"]}"), "expected \"__metadata__\" to be an object of strings; received an array"),
        ["metadata value not a string"] = (RawFile.Build("{\"__metadata__\":{\"epochs\":3}}"), "expected metadata 'epochs' to be a string; received the number '3'"),
        ["duplicate metadata keys"] = (RawFile.Build("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}"), "the metadata names 'k' twice"),
        ["duplicate metadata objects"] = (RawFile.Build("{\"__metadata__\":{},\"__metadata__\":{}}"), "names '__metadata__' twice"),
        ["lone surrogate in a name"] = (RawFile.Build("{\"\\ud800\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}"), "lone surrogate"),
        ["lone surrogate in metadata"] = (RawFile.Build("{\"__metadata__\":{\"k\":\"\\udc00\"}}"), "lone surrogate"),
        ["control characters in a name are quoted safely"] = (RawFile.Build("{\"a\\u0007\\n\":5}"), "tensor 'a\\u0007\\u000a'"),
        ["a very long name is shortened"] = (RawFile.Build("{\"" + new string('n', 5000) + "\":5}"), "…' (5000 characters)"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_hostile_file_on_disk_is_rejected_with_a_message_naming_the_file_and_the_problem(string name)
    {
        var (bytes, expect) = Cases[name];
        using var dir = new TempDirectory();
        string path = dir.File("hostile.safetensors");
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<NablaInputException>(() => SafeTensorsFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains(expect, e.Message);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_hostile_buffer_is_rejected_the_same_way(string name)
    {
        var (bytes, expect) = Cases[name];

        var e = Assert.Throws<NablaInputException>(() => SafeTensorsFile.Read(bytes, "upload.safetensors"));

        Assert.Equal("upload.safetensors", e.Path);
        Assert.Contains(expect, e.Message);
    }

    [Theory]
    [InlineData(99_999_992UL, 16)]                 // a header claim just under the limit, in a tiny file
    [InlineData(ulong.MaxValue, 8)]
    public void Lengths_claimed_by_the_file_are_checked_before_anything_is_allocated(ulong declaredHeader, int fileLength)
    {
        byte[] bytes = [.. RawFile.Prefix(declaredHeader), .. new byte[fileLength - 8]];
        // Claims a terabyte of data with only eight bytes present.
        byte[] hugeTensor = RawFile.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[1099511627776],\"data_offsets\":[0,1099511627776]}}", new byte[8]);
        SafeTensorsFile.Read(SafeTensorsFile.Serialize([])); // warm up, so the JIT's allocations are not counted

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<NablaInputException>(() => SafeTensorsFile.Read(bytes));
        Assert.Throws<NablaInputException>(() => SafeTensorsFile.Read(hugeTensor));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1_000_000, $"Rejecting the files allocated {allocated} bytes.");
    }

    [Fact]
    public void A_missing_file_is_an_input_error_naming_it()
    {
        using var dir = new TempDirectory();
        string path = dir.File("missing.safetensors");

        var e = Assert.Throws<NablaInputException>(() => SafeTensorsFile.Read(path));

        Assert.Equal(path, e.Path);
        Assert.Contains("Cannot read safetensors file", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Asking_for_a_tensor_the_file_lacks_lists_what_it_has()
    {
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize(
            [SafeTensor.FromFloat32("0.weight", [1], [1]), SafeTensor.FromFloat32("0.bias", [1], [1])]), "model.safetensors");

        var e = Assert.Throws<NablaInputException>(() => file.GetFloat32("2.weight"));

        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("expected a tensor named '2.weight'; the file holds '0.bias', '0.weight'", e.Message);
        Assert.False(file.Contains("2.weight"));
        Assert.False(file.TryGet("2.weight", out _));
    }

    [Fact]
    public void Reading_an_integer_tensor_as_floats_is_an_input_error()
    {
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize([new SafeTensor("n", SafeTensorDType.I64, [1], new byte[8])]));

        var e = Assert.Throws<NablaInputException>(() => file.GetFloat64("n"));
        Assert.Contains("tensor 'n': expected a floating-point dtype (F32, F64, F16 or BF16); received I64", e.Message);
        Assert.Throws<NablaInputException>(() => file.GetFloat32("n"));
    }

    [Fact]
    public void A_matrix_must_be_two_dimensional()
    {
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize([SafeTensor.FromFloat32("0.bias", [3], [1, 2, 3])]));

        var e = Assert.Throws<NablaInputException>(() => file.GetMatrix<float>("0.bias"));
        Assert.Contains("tensor '0.bias': expected 2 dimensions [rows, cols]; received shape [3]", e.Message);
    }

    [Fact]
    public void The_hostile_cases_are_not_accidentally_valid_without_their_defect()
    {
        // The fixtures above differ from a valid file only in their defect: this is that valid file.
        var file = SafeTensorsFile.Read(RawFile.Build(F32Pair + "  ", RawFile.Hex("0000803F 00000040")));
        Assert.Equal([1f, 2f], file.GetFloat32("a"));
    }
}
