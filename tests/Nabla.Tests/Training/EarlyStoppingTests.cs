using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void OnTheValidationAccuracyItKeepsTheFirstBestEpochAndNamesWhatItWatched()
    {
        var data = TrainerTests.NoisyXor<float>(100, seed: 3);
        var validation = TrainerTests.NoisyXor<float>(40, seed: 9);
        var arch = Architecture.Mlp(2, [6], 2, "tanh", "cross-entropy", data.ClassNames);
        var trainer = new Trainer<float>(arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(4)), arch.CreateLoss<float>(), new Sgd<float>(0.05, momentum: 0.9));
        var stopper = new EarlyStopping<float>(patience: 4, minDelta: 0.01, monitor: MonitoredMetric.ValidationAccuracy);

        var history = trainer.Fit(data, new TrainingOptions<float> { Epochs = 200, BatchSize = 16, Seed = 5, Validation = validation, Callbacks = [stopper] });

        // The best epoch is the first whose accuracy beats every earlier best by more than 0.01.
        double best = double.NegativeInfinity;
        int bestEpoch = 0;
        foreach (var e in history.Epochs)
            if (e.ValidationAccuracy!.Value > best + 0.01)
                (best, bestEpoch) = (e.ValidationAccuracy.Value, e.Epoch);
        Assert.Equal(bestEpoch, stopper.BestEpoch);
        Assert.Equal(bestEpoch + 4, history.Epochs.Count);
        Assert.Equal($"early stopping: no improvement of val_accuracy for 4 epochs (best at epoch {bestEpoch})", history.StopReason!.Text);
        Assert.Equal(double.NegativeInfinity, new EarlyStopping<float>(3, monitor: MonitoredMetric.ValidationAccuracy).ExportState().Best);
    }

    [Fact]
    public void APlateauScheduleObservesTheMonitoredAccuracy()
    {
        var data = TrainerTests.NoisyXor<float>(100, seed: 3);
        var validation = TrainerTests.NoisyXor<float>(40, seed: 9);
        var arch = Architecture.Mlp(2, [6], 2, "tanh", "cross-entropy", data.ClassNames);
        var plateau = new PlateauSchedule(patience: 0, threshold: 0, maximize: true);
        var trainer = new Trainer<float>(arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(4)), arch.CreateLoss<float>(), new Sgd<float>(0.05));

        var history = trainer.Fit(data, new TrainingOptions<float>
        {
            Epochs = 6, BatchSize = 16, Seed = 5, Validation = validation, Schedule = plateau, Monitor = MonitoredMetric.ValidationAccuracy,
        });

        Assert.Equal(history.Epochs.Max(e => e.ValidationAccuracy!.Value), plateau.Best);
        var regression = new Dataset<float>(new Matrix<float>(2, 2, [0, 1, 1, 0]), new Matrix<float>(2, 2, [1, 2, 3, 4]), "pairs");
        Assert.Contains("needs class labels", Assert.Throws<ArgumentException>(() =>
            trainer.Fit(regression, new TrainingOptions<float> { Monitor = MonitoredMetric.ValidationAccuracy })).Message);
    }
}
