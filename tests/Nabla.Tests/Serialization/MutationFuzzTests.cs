using Nabla.Serialization;
using Nabla.Tests.Text;

namespace Nabla.Tests.Serialization;

/// <summary>
/// Seeded random damage to valid files: the reader either accepts the result (and then every
/// accessor behaves) or rejects it with a <see cref="NablaInputException"/> whose message fits a
/// terminal — never anything else. <c>Data/DataMutationFuzzTests</c> does the same for CSV and IDX.
/// </summary>
public class MutationFuzzTests
{
    private const int Iterations = 400;

    private static readonly byte[] Valid = SafeTensorsFile.Serialize(
    [
        SafeTensor.FromFloat32("0.weight", [2, 3], [1, 2, 3, 4, 5, 6]),
        SafeTensor.FromFloat32("0.bias", [2], [0.5f, -0.5f]),
        SafeTensor.FromFloat64("scale", [], [3.0]),
        SafeTensor.FromFloat64("empty", [0, 4], []),
        new SafeTensor("steps", SafeTensorDType.I64, [1], BitConverter.GetBytes(12L)),
    ], new Dictionary<string, string> { ["nabla.architecture"] = "{\"layers\":[3,2]}" });

    // Bytes that change the meaning of JSON, so mutations reach the header's validation and not just its syntax.
    private static readonly byte[] JsonBytes = "{}[]\",:-0123456789.eE \\tnfu"u8.ToArray();

    [Fact]
    public void Mutated_files_only_ever_succeed_or_raise_NablaInputException()
    {
        int accepted = 0, rejected = 0;
        for (int i = 0; i < Iterations; i++)
        {
            var random = new Random(1000 + i);
            // Half the time keep the length prefix consistent, so the damage reaches the JSON checks.
            byte[] mutated = i % 2 == 0 ? Mutate(Valid, random) : MutateHeaderOnly(Valid, random);
            if (ReadAndTouch(mutated, $"iteration {i}"))
                accepted++;
            else
                rejected++;
        }
        // Both outcomes must actually be exercised for the test to mean anything.
        Assert.InRange(accepted, 1, Iterations - 1);
        Assert.InRange(rejected, Iterations / 2, Iterations);
    }

    [Fact]
    public void Random_bytes_with_a_plausible_length_prefix_only_raise_NablaInputException()
    {
        for (int i = 0; i < 200; i++)
        {
            var random = new Random(5000 + i);
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length >= 8 && random.Next(2) == 0)
                RawFile.Prefix((ulong)random.Next(0, bytes.Length)).CopyTo(bytes, 0);
            ReadAndTouch(bytes, $"random file {i}");
        }
    }

    /// <summary>True if the bytes were accepted; fails the test on any exception but NablaInputException.</summary>
    private static bool ReadAndTouch(byte[] bytes, string label)
    {
        try
        {
            var file = SafeTensorsFile.Read(bytes, label);
            foreach (var tensor in file.Tensors)
            {
                Assert.Equal(tensor.ElementCount * tensor.DType.SizeInBytes(), tensor.Data.Length);
                TryFloats(file, tensor.Name);
            }
            file.ComputeDataChecksum();
            return true;
        }
        catch (NablaInputException e)
        {
            Assert.Contains(label, e.Message);
            MessageAssert.FitsATerminal(e);
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{label} ({Convert.ToHexString(bytes)}) raised {e.GetType()}: {e}");
            throw;
        }
    }

    private static void TryFloats(SafeTensorsFile file, string name)
    {
        try
        {
            file.GetFloat32(name);
            file.GetFloat64(name);
        }
        catch (NablaInputException)
        {
            // Mutations can leave a valid file whose tensor has an integer dtype.
        }
    }

    private static byte[] MutateHeaderOnly(byte[] original, Random random)
    {
        int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
        var header = new List<byte>(original[8..headerEnd]);
        for (int e = random.Next(1, 4); e > 0 && header.Count > 0; e--)
        {
            int position = random.Next(header.Count);
            switch (random.Next(3))
            {
                case 0:
                    header[position] = JsonBytes[random.Next(JsonBytes.Length)];
                    break;
                case 1:
                    header.RemoveAt(position);
                    break;
                default:
                    header.Insert(position, JsonBytes[random.Next(JsonBytes.Length)]);
                    break;
            }
        }
        return RawFile.Build([.. header], original[headerEnd..]);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            // Most positions fall in the header, where the parsing logic is.
            int position = random.Next(3) == 0 ? random.Next(bytes.Count) : random.Next(Math.Min(headerEnd, bytes.Count));
            switch (random.Next(6))
            {
                case 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[position] = JsonBytes[random.Next(JsonBytes.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    break;
                case 3:
                    bytes.Insert(position, random.Next(2) == 0 ? JsonBytes[random.Next(JsonBytes.Length)] : (byte)random.Next(256));
                    break;
                case 4:
                    int keep = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                default:
                    bytes[random.Next(Math.Min(8, bytes.Count))] = (byte)random.Next(256);
                    break;
            }
        }
        return bytes.ToArray();
    }
}
