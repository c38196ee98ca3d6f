using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;

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
