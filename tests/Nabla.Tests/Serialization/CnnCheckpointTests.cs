using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Models;
using Nabla.Training;

namespace Nabla.Tests.Serialization;

/// <summary>A CNN with batch norm and dropout, checkpointed mid-epoch through the file format and resumed, ends byte-identical to an uninterrupted run.</summary>
public class CnnCheckpointTests
{
    private sealed class CancelAt(int epoch, int batch, CancellationTokenSource cancel) : ITrainingCallback<float>
    {
        public TrainingState? State { get; private set; }

        public void OnBatchEnd(TrainingContext<float> context)
        {
            if (context.Epoch == epoch && context.Batch == batch)
                cancel.Cancel();
        }

        public void OnTrainEnd(TrainingContext<float> context) => State = context.Interrupted ? context.State : null;
    }

    [Fact]
    public void AResumedCnnWithBatchNormAndDropoutIsByteIdentical()
    {
        var architecture = CnnArchitectureTests.Network(
            "Conv2d(4, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(16), ReLU, Dropout(0.3), BatchNorm1d, Linear(3)",
            SampleShape.Image(1, 8, 8), classes: ["a", "b", "c"]);
        var rng = new Rng(1);
        var features = new Matrix<float>(60, 64);
        for (int i = 0; i < features.Length; i++)
            features.Span[i] = (float)rng.NextDouble();
        var data = new Dataset<float>(features, [.. Enumerable.Range(0, 60).Select(i => i % 3)], ["a", "b", "c"], "random") { SampleShape = SampleShape.Image(1, 8, 8) };
        TrainingOptions<float> Options(TrainingState? from, CancellationToken token, params ITrainingCallback<float>[] callbacks) =>
            new() { Epochs = 3, BatchSize = 8, Seed = 2, InitialState = from, Interrupt = token, Callbacks = callbacks };
        (Trainer<float> Trainer, Adam<float> Optimizer) Fresh()
        {
            var optimizer = new Adam<float>(1e-2);
            return (new Trainer<float>(architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(3)), architecture.CreateLoss<float>(), optimizer), optimizer);
        }

        var (straight, _) = Fresh();
        straight.Fit(data, Options(null, default));

        var (interrupted, optimizer) = Fresh();
        using var cancel = new CancellationTokenSource();
        var capture = new CancelAt(2, 4, cancel);
        interrupted.Fit(data, Options(null, cancel.Token, capture));
        var saved = CheckpointFile.Read(CheckpointFile.Serialize(new Checkpoint(
            architecture, interrupted.Model.SnapshotState(), optimizer.ExportState(interrupted.Model.NamedParameters), capture.State!, [])));

        var (resumed, resumedOptimizer) = Fresh();
        resumed.Model.RestoreState(saved.Model);
        resumedOptimizer.ImportState(saved.Optimizer, resumed.Model.NamedParameters);
        resumed.Fit(data, Options(saved.State, default));

        Assert.Equal(3 * 8, ((Nabla.Layers.BatchNorm<float>)resumed.Model.Layers[2]).BatchesTracked.Value);
        using var dir = new TempDirectory();
        string a = Path.Combine(dir.Path, "straight.safetensors"), b = Path.Combine(dir.Path, "resumed.safetensors");
        ModelFile.Save(a, straight.Model, architecture);
        ModelFile.Save(b, resumed.Model, architecture);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }
}
