using System.Security.Cryptography;
using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

public class ChecksumTests
{
    private static readonly SafeTensor[] Tensors =
    [
        SafeTensor.FromFloat32("0.weight", [2, 2], [1, 2, 3, 4]),
        SafeTensor.FromFloat64("0.bias", [2], [0.5, -0.5]),
    ];

    [Fact]
    public void The_checksum_before_writing_equals_the_checksum_after_reading_and_covers_exactly_the_data_region()
    {
        string checksum = SafeTensorsFile.ComputeDataChecksum(Tensors);
        byte[] bytes = SafeTensorsFile.Serialize(Tensors, new Dictionary<string, string> { [SafeTensorsFile.DataChecksumMetadataKey] = checksum });

        var file = SafeTensorsFile.Read(bytes);
        int dataStart = 8 + (int)BitConverter.ToUInt64(bytes, 0);

        Assert.Equal(checksum, file.ComputeDataChecksum());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(dataStart))), checksum);
        Assert.Equal(checksum, SafeTensorsFile.ComputeDataChecksum(Tensors.Reverse()));
        file.VerifyDataChecksum();
    }

    [Fact]
    public void Corrupted_tensor_data_fails_verification_with_both_checksums_in_the_message()
    {
        string checksum = SafeTensorsFile.ComputeDataChecksum(Tensors);
        byte[] bytes = SafeTensorsFile.Serialize(Tensors, new Dictionary<string, string> { ["sha"] = checksum });
        bytes[^1] ^= 0x01; // still a structurally valid file: only the checksum can tell

        var file = SafeTensorsFile.Read(bytes, "checkpoint.safetensors");
        var e = Assert.Throws<NablaInputException>(() => file.VerifyDataChecksum("sha"));

        Assert.Contains("checkpoint.safetensors", e.Message);
        Assert.Contains("the tensor data is corrupt", e.Message);
        Assert.Contains(checksum, e.Message);
        Assert.Contains(file.ComputeDataChecksum(), e.Message);
    }

    [Fact]
    public void Verifying_a_file_without_a_checksum_says_which_key_was_expected()
    {
        var file = SafeTensorsFile.Read(SafeTensorsFile.Serialize(Tensors), "model.safetensors");

        var e = Assert.Throws<NablaInputException>(() => file.VerifyDataChecksum());

        Assert.Contains($"expected a data checksum in metadata key '{SafeTensorsFile.DataChecksumMetadataKey}'", e.Message);
    }
}
