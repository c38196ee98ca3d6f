using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Tests.Data;
using Nabla.Tests.Text;
using Nabla.Training;

namespace Nabla.Tests.Serialization;

/// <summary>
/// FsCheck properties over every reader of user files: fed random bytes, or a valid file damaged by a
/// random edit (a flipped, overwritten, inserted or deleted byte, a run of up to 4 KiB of one byte, or a
/// truncation), a reader either succeeds or raises <see cref="NablaInputException"/>, never any other
/// exception, and its message is short and holds no character a terminal would act on.
/// </summary>
public class ReaderPropertyTests
{
    /// <summary>Cases per property: each reader gets this many mutated files and this many random ones.</summary>
    public const int Cases = 300;

    /// <summary>One edit to a file: what to do, where (taken modulo the length) and with which byte.</summary>
    public sealed record Edit(int Kind, int Position, byte Value, int Count);

    private static readonly Gen<Edit[]> Edits =
        (from kind in Gen.Choose(0, 5)
         from position in Gen.Choose(0, int.MaxValue)
         from value in Gen.Choose(0, 255)
         from count in Gen.Choose(1, 8)
         select new Edit(kind, position, (byte)value, count)).ArrayOf().Where(a => a.Length > 0);

    private static readonly Gen<byte[]> RandomBytes = Gen.Choose(0, 400).SelectMany(n => Gen.Choose(0, 255).ArrayOf(n)).Select(a => a.Select(b => (byte)b).ToArray());

    private static byte[] Apply(byte[] valid, Edit[] edits)
    {
        var bytes = new List<byte>(valid);
        foreach (var e in edits)
        {
            int at = bytes.Count == 0 ? 0 : e.Position % bytes.Count;
            switch (e.Kind)
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << (e.Value % 8)); break;
                case 1 when bytes.Count > 0: bytes[at] = e.Value; break;
                case 2: bytes.InsertRange(at, Enumerable.Repeat(e.Value, e.Count)); break;
                case 3 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(e.Count, bytes.Count - at)); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;
                case 5: bytes.InsertRange(at, Enumerable.Repeat(e.Value, 512 * e.Count)); break; // a long field, name or run of escapes
            }
        }
        return [.. bytes];
    }

    /// <summary>
    /// Runs each of <paramref name="readers"/> on <see cref="Cases"/> mutations of <paramref name="valid"/> and
    /// <see cref="Cases"/> random inputs, after checking that the first accepts <paramref name="valid"/>; returns the number of inputs.
    /// </summary>
    private static int Fuzz(byte[] valid, params Action<byte[]>[] readers)
    {
        readers[0](valid);
        int count = 0;
        void Read(byte[] bytes)
        {
            count++;
            foreach (var read in readers)
            {
                try
                {
                    read(bytes);
                }
                catch (NablaInputException e)
                {
                    // The documented error: the property holds if the message can be printed as it is.
                    MessageAssert.FitsATerminal(e);
                }
            }
        }
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases);
        Check.One(config, Prop.ForAll(Edits.ToArbitrary(), edits => Read(Apply(valid, edits))));
        Check.One(config, Prop.ForAll(RandomBytes.ToArbitrary(), Read));
        return count;
    }

    [Fact]
    public void SafetensorsReaderOnlyRaisesNablaInputException()
    {
        byte[] valid = SafeTensorsFile.Serialize(
            [SafeTensor.FromFloat32("0.weight", [2, 3], [1, 2, 3, 4, 5, 6]), SafeTensor.FromFloat64("x", [1], [2.0])],
            new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(2 * Cases, Fuzz(valid, bytes =>
        {
            var file = SafeTensorsFile.Read(bytes, "fuzz");
            foreach (var t in file.Tensors)
                if (t.DType is SafeTensorDType.F32 or SafeTensorDType.F64)
                    file.GetFloat64(t.Name);
        }));
    }

    [Fact]
    public void ModelFileReaderOnlyRaisesNablaInputException()
    {
        using var dir = new TempDirectory();
        var architecture = Architecture.Mlp(2, [3], 2, "tanh", "cross-entropy", ["a", "b"]);
        string path = dir.File("model.safetensors");
        ModelFile.Save(path, architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(1)), architecture);
        Assert.Equal(2 * Cases, Fuzz(File.ReadAllBytes(path), bytes =>
        {
            File.WriteAllBytes(path, bytes);
            ModelFile.Load<float>(path);
        }));
    }

    [Fact]
    public void OnnxReaderAndImportOnlyRaiseNablaInputException()
    {
        var architecture = Architecture.FromLayers(Nabla.Tensors.SampleShape.Features(3), NetworkSpelling.Parse("Linear(4), LeakyReLU(0.2), Linear(2), Softmax"), "mse", ["a", "b"])
            with { Scaling = new Scaling(ScalingKind.Standard, [1, 2, 3], [0.5, 1, 2]) };
        byte[] valid = OnnxExport.ToBytes(architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(1)), architecture);
        Assert.Equal(2 * Cases, Fuzz(valid,
            bytes => Nabla.Onnx.OnnxModel.Parse(bytes, "fuzz.onnx"),
            bytes => OnnxImport.FromModel(Nabla.Onnx.OnnxModel.Parse(bytes, "fuzz.onnx"), new OnnxImportOptions(), "fuzz.onnx")));
    }

    [Fact]
    public void CheckpointReaderOnlyRaisesNablaInputException()
    {
        Assert.Equal(2 * Cases, Fuzz(CheckpointTests.SmallCheckpointBytes(), bytes => CheckpointFile.Read(bytes, "fuzz")));
    }

    [Fact]
    public void CheckpointReaderRejectsEveryEditThatKeepsTheFileParseable()
    {
        // The checksum covers tensors and metadata, so no edit that leaves valid safetensors gets through unnoticed.
        byte[] valid = CheckpointTests.SmallCheckpointBytes();
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases);
        Check.One(config, Prop.ForAll(Edits.ToArbitrary(), edits =>
        {
            byte[] bytes = Apply(valid, edits);
            if (bytes.AsSpan().SequenceEqual(valid))
                return true;
            try
            {
                SafeTensorsFile.Read(bytes);
            }
            catch (NablaInputException)
            {
                return true;
            }
            var checkpoint = TryRead(bytes);
            // Only edits in the header's padding or JSON whitespace may leave the content unchanged.
            return checkpoint is null || CheckpointFile.Serialize(checkpoint).AsSpan().SequenceEqual(valid);
        }));

        static Checkpoint? TryRead(byte[] bytes)
        {
            try
            {
                return CheckpointFile.Read(bytes);
            }
            catch (NablaInputException)
            {
                return null;
            }
        }
    }

    [Fact]
    public void CsvReaderOnlyRaisesNablaInputException()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fuzz.csv");
        byte[] valid = Encoding.UTF8.GetBytes("x1,x2,label\n1.5,2,cat\n-3,4e2,dog\n0,0,cat\n\"5\",6,\"dog\"\n");
        Assert.Equal(2 * Cases, Fuzz(valid,
            bytes =>
            {
                // From disk, the bytes are decoded as the file's byte-order mark says (a flipped byte can make one).
                File.WriteAllBytes(path, bytes);
                CsvLoader.Load<float>(path);
            },
            bytes => CsvLoader.Parse<float>(Encoding.UTF8.GetString(bytes), "fuzz.csv"),
            bytes => CsvLoader.Parse<float>(Encoding.UTF8.GetString(bytes), "fuzz.csv", new CsvOptions { Regression = true, Label = "x2" }),
            bytes => CsvLoader.ParseFeatures<float>(Encoding.UTF8.GetString(bytes), "fuzz.csv", 3),
            // The column choices and text columns (CsvColumns), and another delimiter.
            bytes => CsvLoader.Parse<float>(Encoding.UTF8.GetString(bytes), "fuzz.csv", new CsvOptions { Drop = ["x2"] }),
            bytes => CsvLoader.Parse<float>(Encoding.UTF8.GetString(bytes).Replace(',', ';'), "fuzz.csv", new CsvOptions { Delimiter = ';', Features = ["x2"] }),
            bytes => CsvLoader.ParseInputs<float>(Encoding.UTF8.GetString(bytes), "fuzz.csv",
                [new InputColumn { Name = "x1" }, new InputColumn { Name = "x2" }, new InputColumn { Name = "label", Categories = ["cat", "dog"] }], 4)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxReaderOnlyRaisesNablaInputException(bool gzip)
    {
        // The whole directory is loaded, so the images and labels are checked against each other too.
        using var dir = new TempDirectory();
        string set = IdxFiles.WriteDataset(dir.File("set"), gzip);
        string suffix = gzip ? ".gz" : "";
        string images = Path.Combine(set, "train-images-idx3-ubyte" + suffix), labels = Path.Combine(set, "train-labels-idx1-ubyte" + suffix);
        byte[] validImages = File.ReadAllBytes(images), validLabels = File.ReadAllBytes(labels);
        int read = Fuzz(validImages, bytes =>
        {
            File.WriteAllBytes(images, bytes);
            IdxReader.LoadDirectory<float>(set, DataSplit.Train);
        });
        File.WriteAllBytes(images, validImages);
        read += Fuzz(validLabels, bytes =>
        {
            File.WriteAllBytes(labels, bytes);
            IdxReader.LoadDirectory<float>(set, DataSplit.Train);
        });
        Assert.Equal(4 * Cases, read);
    }

    [Fact]
    public void FoundByFuzzing_AForgedGzipSizeTrailerDoesNotAllocateGigabytes()
    {
        using var dir = new TempDirectory();
        byte[] bytes = IdxFiles.Gzip(IdxFiles.Labels(0, 1, 2));
        bytes.AsSpan(bytes.Length - 4).Fill(0xFF);
        string path = dir.File("train-labels-idx1-ubyte.gz");
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            IdxReader.ReadLabels(path);
        }
        catch (NablaInputException)
        {
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
    }

    [Fact]
    public void FoundByFuzzing_AHeaderShorterThanTheRowsIsAnInputError()
    {
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.ParseFeatures<float>("a\n1,x,3\n", "short.csv", 3));
        Assert.Contains("line 2, column 2: expected a number; received 'x'", e.Message);
    }
}
