using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Training;

public class ResumeTests
{
    private sealed class Capture(int atEpoch) : ITrainingCallback<float>
    {
        public TrainingState? State { get; private set; }

        public void OnEpochEnd(TrainingContext<float> context)
        {
            if (context.Epoch == atEpoch)
            {
                State = context.State;
                context.Stop("interrupted");
            }
        }
    }

    [Fact]
    public void StoppingAndResumingEndsBitIdenticalToAnUninterruptedRun()
    {
        var data = TrainerTests.NoisyXor<float>(100, seed: 3);
        var arch = Architecture.Mlp(2, [6], 2, "tanh", "cross-entropy", data.ClassNames);
        (Trainer<float>, History) Run(int epochs, TrainingState? from, ITrainingCallback<float>[] callbacks, Trainer<float>? trainer = null)
        {
            trainer ??= new Trainer<float>(arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(4)), arch.CreateLoss<float>(), new Adam<float>(0.01));
            var history = trainer.Fit(data, new TrainingOptions<float> { Epochs = epochs, BatchSize = 16, Seed = 5, InitialState = from, Callbacks = callbacks });
            return (trainer, history);
        }

        var (straight, straightHistory) = Run(6, null, []);
        var capture = new Capture(3);
        var (interrupted, _) = Run(6, null, [capture]);
        Assert.NotNull(capture.State);
        Assert.Equal(3, capture.State!.History.Epochs.Count);
        var (resumed, resumedHistory) = Run(6, capture.State with { }, [], interrupted);

        Assert.Equal(straightHistory.Epochs.Select(e => e.Loss), resumedHistory.Epochs.Select(e => e.Loss));
        var a = straight.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        var b = resumed.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        Assert.Equal(a, b);
    }
}

public class InterruptTests
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

    [Theory]
    [InlineData(2, 3)]
    [InlineData(1, 5)]
    public void InterruptingInTheMiddleOfAnEpochAndResumingEndsBitIdentical(int epoch, int batch)
    {
        var data = TrainerTests.NoisyXor<float>(100, seed: 3);
        var arch = Architecture.Mlp(2, [6], 2, "relu", "cross-entropy", data.ClassNames);
        Trainer<float> NewTrainer() => new(arch.Build<float>(GaussianInitializer.HeNormal, new Rng(4)), arch.CreateLoss<float>(), new Sgd<float>(0.05, momentum: 0.9));
        TrainingOptions<float> Options(TrainingState? from, CancellationToken token, params ITrainingCallback<float>[] callbacks) =>
            new() { Epochs = 4, BatchSize = 16, Seed = 5, InitialState = from, Interrupt = token, Callbacks = callbacks };

        var straight = NewTrainer();
        var straightHistory = straight.Fit(data, Options(null, default));

        using var cancel = new CancellationTokenSource();
        var first = NewTrainer();
        var stop = new CancelAt(epoch, batch, cancel);
        var stopped = first.Fit(data, Options(null, cancel.Token, stop));
        Assert.Equal(StopReason.Interrupted, stopped.StopReason);
        Assert.Equal(epoch - 1, stopped.Epochs.Count);
        Assert.Equal(new EpochProgress(batch, stop.State!.InProgress!.LossSum, stop.State.InProgress.Correct, batch * 16, stop.State.InProgress.Seconds), stop.State.InProgress);

        // A fresh trainer with the weights and optimizer state carried over, as a checkpoint does.
        var second = NewTrainer();
        second.Model.RestoreState(first.Model.SnapshotState());
        ((Optimizer<float>)second.Optimizer).ImportState(((Optimizer<float>)first.Optimizer).ExportState(first.Model.NamedParameters), second.Model.NamedParameters);
        var resumed = second.Fit(data, Options(stop.State, default));

        Assert.Null(resumed.StopReason);
        Assert.Equal(straightHistory.Epochs.Select(e => (e.Loss, e.Accuracy)), resumed.Epochs.Select(e => (e.Loss, e.Accuracy)));
        Assert.Equal(straightHistory.IterationLoss, resumed.IterationLoss);
        var a = straight.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        var b = second.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        Assert.Equal(a, b);
    }
    [Fact]
    public void AScheduleContinuedFromItsExportedStateEndsAsAnUninterruptedRun()
    {
        var data = TrainerTests.NoisyXor<float>(100, seed: 3);
        var validation = TrainerTests.NoisyXor<float>(40, seed: 9);
        var arch = Architecture.Mlp(2, [6], 2, "tanh", "cross-entropy", data.ClassNames);
        Trainer<float> NewTrainer() => new(arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(4)), arch.CreateLoss<float>(), new Adam<float>(0.05));
        // A warmup makes the rate change every step; the plateau lowers it after epochs 2 and 3, so its state matters.
        LearningRateSchedule NewSchedule() => new PlateauSchedule(patience: 0, threshold: 0.5).WithWarmup(1);
        TrainingOptions<float> Options(LearningRateSchedule schedule, TrainingState? from, CancellationToken token, params ITrainingCallback<float>[] callbacks) =>
            new() { Epochs = 5, BatchSize = 16, Seed = 5, Validation = validation, Schedule = schedule, InitialState = from, Interrupt = token, Callbacks = callbacks };

        var straight = NewTrainer();
        var straightHistory = straight.Fit(data, Options(NewSchedule(), null, default));
        Assert.True(straightHistory.Epochs[^1].LearningRate < straightHistory.Epochs[1].LearningRate);

        using var cancel = new CancellationTokenSource();
        var first = NewTrainer();
        var firstSchedule = NewSchedule();
        var stop = new CancelAt(4, 3, cancel);
        Assert.Equal(StopReason.Interrupted, first.Fit(data, Options(firstSchedule, null, cancel.Token, stop)).StopReason);

        var second = NewTrainer();
        second.Model.RestoreState(first.Model.SnapshotState());
        second.Optimizer.ImportState(first.Optimizer.ExportState(first.Model.NamedParameters), second.Model.NamedParameters);
        var secondSchedule = NewSchedule();
        secondSchedule.ImportState(firstSchedule.ExportState());
        var resumed = second.Fit(data, Options(secondSchedule, stop.State, default));

        Assert.Equal(straightHistory.Epochs.Select(e => (e.Loss, e.ValidationLoss, e.LearningRate)), resumed.Epochs.Select(e => (e.Loss, e.ValidationLoss, e.LearningRate)));
        var a = straight.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        var b = second.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        Assert.Equal(a, b);
    }

    [Fact]
    public void EarlyStoppingContinuedFromItsExportedStateEndsAsAnUninterruptedRun()
    {
        var data = TrainerTests.NoisyXor<float>(100, seed: 3);
        var validation = TrainerTests.NoisyXor<float>(40, seed: 9);
        var arch = Architecture.Mlp(2, [6], 2, "tanh", "cross-entropy", data.ClassNames);
        Trainer<float> NewTrainer() => new(arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(4)), arch.CreateLoss<float>(), new Sgd<float>(0.05, momentum: 0.9));
        // Nothing improves by 10, so epoch 1 is the best and patience 3 stops the run after epoch 4.
        EarlyStopping<float> NewStopper() => new(patience: 3, minDelta: 10);
        TrainingOptions<float> Options(TrainingState? from, CancellationToken token, params ITrainingCallback<float>[] callbacks) =>
            new() { Epochs = 10, BatchSize = 16, Seed = 5, Validation = validation, InitialState = from, Interrupt = token, Callbacks = callbacks };

        var straight = NewTrainer();
        var straightHistory = straight.Fit(data, Options(null, default, NewStopper()));
        Assert.Equal(4, straightHistory.Epochs.Count);
        Assert.Equal(1, straightHistory.BestEpoch);

        // Interrupted inside epoch 3, after the best epoch and before the stop.
        using var cancel = new CancellationTokenSource();
        var first = NewTrainer();
        var firstStopper = NewStopper();
        var stop = new CancelAt(3, 2, cancel);
        Assert.Equal(StopKind.Interrupted, first.Fit(data, Options(null, cancel.Token, firstStopper, stop)).StopReason?.Kind);
        var saved = firstStopper.ExportState();
        Assert.Equal((1, 1), (saved.BestEpoch, saved.Wait));
        Assert.NotNull(saved.BestWeights);

        var second = NewTrainer();
        second.Model.RestoreState(first.Model.SnapshotState());
        ((Optimizer<float>)second.Optimizer).ImportState(((Optimizer<float>)first.Optimizer).ExportState(first.Model.NamedParameters), second.Model.NamedParameters);
        var secondStopper = NewStopper();
        secondStopper.ImportState(saved);
        var resumed = second.Fit(data, Options(stop.State, default, secondStopper));

        Assert.Equal(straightHistory.StopReason, resumed.StopReason);
        Assert.Equal(straightHistory.BestEpoch, resumed.BestEpoch);
        Assert.Equal(straightHistory.Epochs.Select(e => (e.Loss, e.ValidationLoss)), resumed.Epochs.Select(e => (e.Loss, e.ValidationLoss)));
        var a = straight.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        var b = second.Model.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits);
        Assert.Equal(a, b);
    }

    [Fact]
    public void EarlyStoppingStateRoundTripsAndInconsistentStatesAreRejected()
    {
        var weights = new Dictionary<string, float[]> { ["0.weight"] = [1f, 2f], ["0.bias"] = [3f] };
        var state = new EarlyStoppingState<float>(0.25, 4, 2, new ModelState<float>(weights, new Dictionary<string, long>(), new Dictionary<string, ulong[]>()));
        var stopper = new EarlyStopping<float>(patience: 5);
        stopper.ImportState(state);
        var exported = stopper.ExportState();
        Assert.Equal((0.25, 4, 2), (exported.Best, exported.BestEpoch, exported.Wait));
        Assert.Equal(4, stopper.BestEpoch);
        Assert.Equal(weights.Keys.Order(), exported.BestWeights!.Values.Keys.Order());
        foreach (var (name, values) in weights)
            Assert.Equal(values, exported.BestWeights.Values[name]);
        // A copy: changing the imported arrays afterwards does not change the callback's best weights.
        weights["0.bias"][0] = 99f;
        Assert.Equal([3f], stopper.ExportState().BestWeights!.Values["0.bias"]);

        var fresh = new EarlyStopping<float>(patience: 5).ExportState();
        Assert.Equal((double.PositiveInfinity, 0, 0), (fresh.Best, fresh.BestEpoch, fresh.Wait));
        Assert.Null(fresh.BestWeights);

        Assert.Throws<ArgumentException>(() => new EarlyStopping<float>(5).ImportState(state with { Best = double.NaN }));
        Assert.Throws<ArgumentException>(() => new EarlyStopping<float>(5).ImportState(state with { Wait = -1 }));
        Assert.Contains("lacks the weights", Assert.Throws<ArgumentException>(() => new EarlyStopping<float>(5).ImportState(state with { BestWeights = null })).Message);
        Assert.Contains("does not restore", Assert.Throws<ArgumentException>(() => new EarlyStopping<float>(5, restoreBestWeights: false).ImportState(state)).Message);
    }
}
