using System.Buffers.Binary;
using System.Text;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Tests.Training;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Serialization;

public class CheckpointTests
{
    /// <summary>A checkpoint of a 2-3-2 network after 2 epochs and 3 batches of Adam, interrupted inside epoch 3.</summary>
    internal static Checkpoint SmallCheckpoint()
    {
        var data = TrainerTests.NoisyXor<float>(40, seed: 1);
        var architecture = Architecture.Mlp(2, [3], 2, "tanh", "cross-entropy", data.ClassNames);
        var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(2));
        var optimizer = new Adam<float>(0.01);
        var capture = new CaptureAtEnd();
        using var cancel = new CancellationTokenSource();
        var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), optimizer);
        trainer.Fit(data, new TrainingOptions<float>
        {
            Epochs = 5,
            BatchSize = 8,
            Seed = 3,
            Interrupt = cancel.Token,
            Callbacks = [new CancelAt(3, 3, cancel), capture],
        });
        return new Checkpoint(architecture, model.SnapshotState(), optimizer.ExportState(model.NamedParameters), capture.State!, ["--seed", "3"]);
    }

    internal static byte[] SmallCheckpointBytes() => CheckpointFile.Serialize(SmallCheckpoint());

    [Fact]
    public void RoundTripsEverythingExactly()
    {
        var original = SmallCheckpoint();
        Assert.NotNull(original.State.InProgress);

        var read = CheckpointFile.Read(CheckpointFile.Serialize(original));

        Assert.Equal(original.Architecture.ToJson(), read.Architecture.ToJson());
        Assert.Equal(original.Model.Values.Keys.Order(), read.Model.Values.Keys.Order());
        foreach (var (name, values) in original.Model.Values)
            Assert.Equal(values, read.Model.Values[name]);
        Assert.Equal(original.Optimizer.Steps, read.Optimizer.Steps);
        Assert.Equal(["m.0.bias", "m.0.weight", "m.2.bias", "m.2.weight", "v.0.bias", "v.0.weight", "v.2.bias", "v.2.weight"], read.Optimizer.Buffers.Keys.Order());
        foreach (var (name, values) in original.Optimizer.Buffers)
            Assert.Equal(values, read.Optimizer.Buffers[name]);
        Assert.Equal(original.State.CompletedEpochs, read.State.CompletedEpochs);
        Assert.Equal(original.State.RngState, read.State.RngState);
        Assert.Equal(original.State.InProgress, read.State.InProgress);
        Assert.Equal(original.State.History.Epochs, read.State.History.Epochs);
        Assert.Equal(original.State.History.IterationLoss, read.State.History.IterationLoss);
        Assert.Equal(original.Settings, read.Settings);
        Assert.Same(StopReason.Interrupted, read.State.History.StopReason);
        // Deterministic: the same checkpoint always gives the same bytes.
        Assert.Equal(CheckpointFile.Serialize(original), CheckpointFile.Serialize(read));
    }

    [Fact]
    public void RoundTripsTheEarlyStoppingStateAndItsBestWeights()
    {
        var original = SmallCheckpoint();
        var best = original.Model.Values.ToDictionary(p => p.Key, p => p.Value.Select(v => v + 0.5f).ToArray());
        var withStopping = original with { EarlyStopping = new EarlyStoppingState<float>(0.123456789012345, 1, 1, original.Model with { Values = best }) };

        byte[] bytes = CheckpointFile.Serialize(withStopping);
        var read = CheckpointFile.Read(bytes);

        Assert.Null(CheckpointFile.Read(CheckpointFile.Serialize(original)).EarlyStopping);
        var state = read.EarlyStopping!;
        Assert.Equal((0.123456789012345, 1, 1), (state.Best, state.BestEpoch, state.Wait));
        Assert.Equal(best.Keys.Order(), state.BestWeights!.Values.Keys.Order());
        foreach (var (name, values) in best)
            Assert.Equal(values, state.BestWeights.Values[name]);
        foreach (var (name, values) in original.Model.Values)
            Assert.Equal(values, read.Model.Values[name]);
        Assert.Equal(bytes, CheckpointFile.Serialize(read));

        // No best weights yet (or a callback that does not keep them), and a best loss of infinity before the first epoch.
        var empty = CheckpointFile.Read(CheckpointFile.Serialize(original with { EarlyStopping = new EarlyStoppingState<float>(double.PositiveInfinity, 0, 0, null) }));
        Assert.Equal(new EarlyStoppingState<float>(double.PositiveInfinity, 0, 0, null), empty.EarlyStopping);

        // The best weights are covered by the checksum: flip a bit in the last of them.
        int at = FindFloat(bytes, best[best.Keys.Max(StringComparer.Ordinal)!][^1]);
        bytes[at] ^= 1;
        Assert.Contains("checksum mismatch", Assert.Throws<NablaInputException>(() => CheckpointFile.Read(bytes)).Message);

        var incomplete = withStopping with { EarlyStopping = withStopping.EarlyStopping! with { BestWeights = original.Model with { Values = best.Skip(1).ToDictionary() } } };
        Assert.Throws<ArgumentException>(() => CheckpointFile.Serialize(incomplete));
    }

    private static int FindFloat(byte[] bytes, float value)
    {
        var pattern = BitConverter.GetBytes(value);
        return bytes.AsSpan().LastIndexOf(pattern);
    }

    [Fact]
    public void SaveIsAtomicAndLoadNamesAMissingFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File(CheckpointFile.FileName);
        CheckpointFile.Save(path, SmallCheckpoint());
        Assert.Equal([CheckpointFile.FileName], dir.Entries());
        Assert.Equal(2, CheckpointFile.Load(path).State.CompletedEpochs);

        var e = Assert.Throws<NablaInputException>(() => CheckpointFile.Load(dir.File("nope.safetensors")));
        Assert.Contains("checkpoint not found", e.Message);
    }

    [Fact]
    public void AChangedWeightFailsTheChecksum()
    {
        byte[] bytes = SmallCheckpointBytes();
        bytes[^20] ^= 1;
        var e = Assert.Throws<NablaInputException>(() => CheckpointFile.Read(bytes, "ckpt"));
        Assert.Contains("checksum mismatch", e.Message);
    }

    [Fact]
    public void AStoredStopReasonIsReadBackAsItsKindAndText()
    {
        const string Reason = "early stopping: no improvement of loss for 2 epochs (best at epoch 1)";
        byte[] bytes = Forge(t => t, m => Set(m, CheckpointFile.StateMetadataKey,
            m[CheckpointFile.StateMetadataKey].Replace("\"stop_reason\":\"interrupted\"", $"\"stop_reason\":\"{Reason}\"", StringComparison.Ordinal)));

        var read = CheckpointFile.Read(bytes).State.History.StopReason;

        Assert.Equal(new StopReason(StopKind.Requested, Reason), read);
    }

    /// <summary>Rewrites the file with edited tensors or metadata and a checksum that matches them, so the semantic checks are reached.</summary>
    private static byte[] Forge(Func<List<SafeTensor>, List<SafeTensor>> tensors, Func<Dictionary<string, string>, Dictionary<string, string>>? metadata = null)
    {
        var file = SafeTensorsFile.Read(SmallCheckpointBytes());
        var list = tensors([.. file.Tensors]);
        var meta = (metadata ?? (m => m))(new Dictionary<string, string>(file.Metadata));
        string data = SafeTensorsFile.ComputeDataChecksum(list);
        string text = $"{data}\n{meta[Architecture.MetadataKey]}\n{meta[CheckpointFile.StateMetadataKey]}\n";
        meta[CheckpointFile.ChecksumMetadataKey] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return SafeTensorsFile.Serialize(list, meta);
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "missing weight", "missing tensor '0.weight'" },
        { "wrong shape", "tensor '0.weight': expected F32 of shape [3, 2]; received F32 of shape [2, 3]" },
        { "wrong dtype", "tensor '2.bias': expected F32 of shape [2]; received F64" },
        { "stray tensor", "unexpected tensor 'extra'" },
        { "buffer of no parameter", "unexpected tensor 'optimizer.m.9.weight'" },
        { "buffer of no optimizer's kind", "unexpected tensor 'optimizer.3.0.bias'" },
        { "non-finite weight", "expected finite values" },
        { "malformed state", "metadata 'nabla.checkpoint' is malformed" },
        { "inconsistent state", "completed_epochs 7 but 2 epoch records" },
        { "zero rng", "rng_state must be four numbers" },
        { "no state", "the metadata has no 'nabla.architecture' entry" },
        { "bad architecture", "metadata 'nabla.architecture'" },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void ConsistentButWrongContentIsRejectedSayingWhat(string forgery, string expected)
    {
        byte[] bytes = forgery switch
        {
            "missing weight" => Forge(t => [.. t.Where(x => x.Name != "0.weight")]),
            "wrong shape" => Forge(t => [.. t.Select(x => x.Name == "0.weight" ? new SafeTensor(x.Name, x.DType, [2, 3], x.Data.Span) : x)]),
            "wrong dtype" => Forge(t => [.. t.Select(x => x.Name == "2.bias" ? SafeTensor.FromFloat64(x.Name, [2], [1, 2]) : x)]),
            "stray tensor" => Forge(t => [.. t, SafeTensor.FromFloat32("extra", [1], [1])]),
            "buffer of no parameter" => Forge(t => [.. t, SafeTensor.FromFloat32("optimizer.m.9.weight", [1], [1])]),
            // Found by ReaderPropertyTests: one byte turns 'optimizer.m.0.bias' into a name the checksum does not cover.
            "buffer of no optimizer's kind" => Forge(t => [.. t.Select(x => x.Name == "optimizer.m.0.bias" ? new SafeTensor("optimizer.3.0.bias", x.DType, [.. x.Shape], x.Data.Span) : x)]),
            "non-finite weight" => Forge(t => [.. t.Select(x => x.Name == "0.bias" ? SafeTensor.FromFloat32(x.Name, [3], [0, float.NaN, 0]) : x)]),
            "malformed state" => Forge(t => t, m => Set(m, CheckpointFile.StateMetadataKey, "{\"format\":1,")),
            "inconsistent state" => Forge(t => t, m => Set(m, CheckpointFile.StateMetadataKey, m[CheckpointFile.StateMetadataKey].Replace("\"completed_epochs\":2", "\"completed_epochs\":7"))),
            "zero rng" => Forge(t => t, m => Set(m, CheckpointFile.StateMetadataKey, System.Text.RegularExpressions.Regex.Replace(m[CheckpointFile.StateMetadataKey], "\"rng_state\":\\[[^\\]]*\\]", "\"rng_state\":[0,0,0,0]"))),
            "no state" => SafeTensorsFile.Serialize(SafeTensorsFile.Read(SmallCheckpointBytes()).Tensors, new Dictionary<string, string> { ["x"] = "y" }),
            "bad architecture" => Forge(t => t, m => Set(m, Architecture.MetadataKey, "{\"layers\":[],\"loss\":\"mse\"}")),
            _ => throw new ArgumentException(forgery),
        };

        var e = Assert.Throws<NablaInputException>(() => CheckpointFile.Read(bytes, "ckpt"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("ckpt: ", e.Message);
    }

    [Fact]
    public void AHeaderLengthBeyondTheFileOr100MBIsRejectedWithoutAllocatingIt()
    {
        byte[] bytes = SmallCheckpointBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
        Assert.Contains("header", Assert.Throws<NablaInputException>(() => CheckpointFile.Read(bytes)).Message);

        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 200_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<NablaInputException>(() => CheckpointFile.Read(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    private static Dictionary<string, string> Set(Dictionary<string, string> m, string key, string value)
    {
        m[key] = value;
        return m;
    }

    private sealed class CancelAt(int epoch, int batch, CancellationTokenSource cancel) : ITrainingCallback<float>
    {
        public void OnBatchEnd(TrainingContext<float> context)
        {
            if (context.Epoch == epoch && context.Batch == batch)
                cancel.Cancel();
        }
    }

    private sealed class CaptureAtEnd : ITrainingCallback<float>
    {
        public TrainingState? State { get; private set; }

        public void OnTrainEnd(TrainingContext<float> context) => State = context.State;
    }
}
