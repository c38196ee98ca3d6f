using Nabla.Training;

namespace Nabla.Tests.Training;

public class MonitoredMetricTests
{
    private static readonly EpochRecord WithValidation = new(3, 0.5, 0.8, 0.6, 0.75, 0.1, 1);
    private static readonly EpochRecord TrainingOnly = new(3, 0.5, 0.8, null, null, 0.1, 1);

    [Fact]
    public void TheLossIsLowerIsBetterAndTheAccuracyHigherEachFallingBackToTraining()
    {
        var loss = MonitoredMetric.Parse("val_loss");
        var accuracy = MonitoredMetric.Parse("val-accuracy");

        Assert.Equal((0.6, 0.5), (loss.Value(WithValidation), loss.Value(TrainingOnly)));
        Assert.Equal((0.75, 0.8), (accuracy.Value(WithValidation), accuracy.Value(TrainingOnly)));
        Assert.Equal(("val_loss", "loss", "val_accuracy", "accuracy"),
            (loss.NameIn(WithValidation), loss.NameIn(TrainingOnly), accuracy.NameIn(WithValidation), accuracy.NameIn(TrainingOnly)));
        Assert.True(loss.Improves(0.4, 0.5, 0.05) && !loss.Improves(0.46, 0.5, 0.05));
        Assert.True(accuracy.Improves(0.9, 0.8, 0.05) && !accuracy.Improves(0.84, 0.8, 0.05));
        Assert.Equal((double.PositiveInfinity, double.NegativeInfinity), (loss.Worst, accuracy.Worst));
        Assert.Equal("Unknown monitored value 'loss'; expected one of val_loss, val_accuracy. (Parameter 'name')",
            Assert.Throws<ArgumentException>(() => MonitoredMetric.Parse("loss")).Message);
    }
}
