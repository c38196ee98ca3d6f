using Nabla.Data;
using Nabla.Init;
using Nabla.Layers.Activations;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Optimizers;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Training;

/// <summary>The trainer's step, fit and their agreement; one test sets the thread count, so the class runs with the others that do.</summary>
[Collection(ThreadCountCollection.Name)]
public class TrainerTests
{
    private static Dataset<T> XorTruthTable<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        new(Matrix<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]).Convert<T>(), [0, 1, 1, 0], ["0", "1"], "xor");

    private static Sequential<T> Mlp<T>(ulong seed, int hidden = 8) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        return new Sequential<T>(new Linear<T>(2, hidden, GaussianInitializer.XavierNormal, rng), new Tanh<T>(),
            new Linear<T>(hidden, 2, GaussianInitializer.XavierNormal, rng));
    }

    [Fact]
    public void XorIsLearned()
    {
        var model = Mlp<double>(seed: 1);
        var trainer = new Trainer<double>(model, new CrossEntropy<double>(), new Sgd<double>(0.5, momentum: 0.9));
        var history = trainer.Fit(XorTruthTable<double>(), new TrainingOptions<double> { Epochs = 500 });
        Assert.Equal(1.0, history.Last.Accuracy);
        Assert.True(history.Last.Loss < 0.05, $"final loss {history.Last.Loss}");
        var result = Evaluation.Run(model, new CrossEntropy<double>(), XorTruthTable<double>());
        Assert.Equal([0, 1, 1, 0], result.Predicted!);
    }

    [Fact]
    public void TheSameSeedGivesBitIdenticalWeights()
    {
        float[] Train()
        {
            var data = NoisyXor<float>(200, seed: 3);
            var model = Mlp<float>(seed: 9, hidden: 16);
            new Trainer<float>(model, new CrossEntropy<float>(), new Adam<float>(0.01))
                .Fit(data, new TrainingOptions<float> { Epochs = 5, BatchSize = 16, Seed = 4 });
            return model.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        }
        var first = Train();
        var second = Train();
        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void HistoryRecordsEpochsIterationsAndParameters()
    {
        var data = NoisyXor(50, seed: 5);
        var model = Mlp<double>(seed: 2, hidden: 2);
        var history = new Trainer<double>(model, new CrossEntropy<double>(), new Sgd<double>(0.1))
            .Fit(data, new TrainingOptions<double> { Epochs = 3, BatchSize = 20, RecordParameters = true, Validation = NoisyXor(30, seed: 6) });
        Assert.Equal([1, 2, 3], history.Epochs.Select(e => e.Epoch));
        Assert.Equal(9, history.IterationLoss.Count); // 3 batches (20, 20, 10) per epoch
        Assert.Equal(12, history.ParameterNames.Count); // 2x2 + 2 + 2x2 + 2
        Assert.Equal("0.weight[0,0]", history.ParameterNames[0]);
        Assert.Equal("0.bias[1]", history.ParameterNames[5]);
        Assert.Equal(10, history.ParameterValues.Count); // initial + one per iteration
        Assert.All(history.Epochs, e => Assert.NotNull(e.ValidationLoss));
        var lines = history.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(History.CsvHeader, lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(7, lines[1].Split(',').Length);
    }

    [Fact]
    public void FullBatchGradientDescentEqualsTheHandWrittenUpdate()
    {
        var data = NoisyXor(10, seed: 7);
        var model = Mlp<double>(seed: 3, hidden: 2);
        var reference = Mlp<double>(seed: 3, hidden: 2);
        new Trainer<double>(model, new CrossEntropy<double>(), new Sgd<double>(0.1)).Fit(data, new TrainingOptions<double> { Epochs = 1 });

        var loss = new CrossEntropy<double>();
        loss.Forward(reference.Forward(data.Features, true), data.Targets);
        reference.Backward(loss.Backward());
        foreach (var (a, b) in model.Parameters.Zip(reference.Parameters))
            for (int i = 0; i < a.Value.Length; i++)
                Assert.Equal(b.Value.Span[i] - 0.1 * b.Gradient.Span[i], a.Value.Span[i], 15);
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresTheBestWeights()
    {
        var data = NoisyXor(100, seed: 8);
        var model = Mlp<double>(seed: 4);
        var stopper = new EarlyStopping<double>(patience: 2, minDelta: 10); // nothing improves by 10
        var history = new Trainer<double>(model, new CrossEntropy<double>(), new Sgd<double>(0.1))
            .Fit(data, new TrainingOptions<double> { Epochs = 50, Callbacks = [stopper] });
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(StopKind.Requested, history.StopReason?.Kind);
        Assert.Contains("early stopping", history.StopReason!.Text);
    }

    [Fact]
    public void ScheduleSetsEachEpochsRate()
    {
        var history = new Trainer<double>(Mlp<double>(1), new CrossEntropy<double>(), new Sgd<double>(0.1))
            .Fit(XorTruthTable<double>(), new TrainingOptions<double> { Epochs = 3, Schedule = LearningRateSchedule.Exponential(0.5) });
        Assert.Equal([0.1, 0.05, 0.025], history.Epochs.Select(e => e.LearningRate));
    }

    /// <summary>Sgd that records the rate of every step.</summary>
    private sealed class RateRecorder(double rate) : IOptimizer<double>
    {
        private readonly Sgd<double> _sgd = new(rate);

        public List<double> Rates { get; } = [];

        public double LearningRate { get => _sgd.LearningRate; set => _sgd.LearningRate = value; }

        public void Step(IReadOnlyList<Parameter<double>> parameters)
        {
            Rates.Add(LearningRate);
            _sgd.Step(parameters);
        }

        public OptimizerState<double> ExportState(IReadOnlyList<(string Name, Parameter<double> Parameter)> parameters) => _sgd.ExportState(parameters);

        public void ImportState(OptimizerState<double> state, IReadOnlyList<(string Name, Parameter<double> Parameter)> parameters) =>
            _sgd.ImportState(state, parameters);
    }

    /// <summary>A constant schedule that records what it observes.</summary>
    private sealed class ObservationRecorder : LearningRateSchedule
    {
        public List<double> Observed { get; } = [];

        public override double Rate(double baseRate, SchedulePosition position) => baseRate;

        public override void Observe(double monitored) => Observed.Add(monitored);
    }

    [Fact]
    public void PerStepSchedulesSetTheRateBeforeEveryStep()
    {
        var optimizer = new RateRecorder(0.1);
        var schedule = new OneCycleSchedule();
        var history = new Trainer<double>(Mlp<double>(1), new CrossEntropy<double>(), optimizer)
            .Fit(XorTruthTable<double>(), new TrainingOptions<double> { Epochs = 3, BatchSize = 2, Schedule = schedule });

        double[] expected = [.. Enumerable.Range(0, 6).Select(i => schedule.Rate(0.1, new SchedulePosition(i / 2, i % 2, 3, 2)))];
        Assert.Equal(expected, optimizer.Rates);
        Assert.Equal(6, expected.Distinct().Count());
        // The history keeps one rate per epoch: the one the epoch starts with.
        Assert.Equal([expected[0], expected[2], expected[4]], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void SchedulesObserveTheValidationLossElseTheTrainingLossAfterEachEpoch()
    {
        var withValidation = new ObservationRecorder();
        var history = new Trainer<double>(Mlp<double>(1), new CrossEntropy<double>(), new Sgd<double>(0.1))
            .Fit(XorTruthTable<double>(), new TrainingOptions<double> { Epochs = 3, Validation = NoisyXor(20, 2), Schedule = withValidation });
        Assert.Equal(history.Epochs.Select(e => e.ValidationLoss!.Value), withValidation.Observed);

        var without = new ObservationRecorder();
        history = new Trainer<double>(Mlp<double>(1), new CrossEntropy<double>(), new Sgd<double>(0.1))
            .Fit(XorTruthTable<double>(), new TrainingOptions<double> { Epochs = 3, Schedule = without });
        Assert.Equal(history.Epochs.Select(e => e.Loss), without.Observed);
    }

    [Fact]
    public void APlateauLowersTheRateOfTheEpochsAfterOneWithoutImprovement()
    {
        // A relative threshold of 0.9 asks for a tenth of the best loss: every epoch after the first is bad, and patience 0 acts on it.
        var history = new Trainer<double>(Mlp<double>(1), new CrossEntropy<double>(), new Sgd<double>(0.1))
            .Fit(XorTruthTable<double>(), new TrainingOptions<double> { Epochs = 4, Schedule = new PlateauSchedule(patience: 0, threshold: 0.9) });
        double[] rates = [.. history.Epochs.Select(e => e.LearningRate)];
        Assert.Equal([0.1, 0.1, 0.01, 0.001], rates.Select(r => Math.Round(r, 15)));
    }

    [Fact]
    public void BadOptionsSayWhatWasReceived()
    {
        var trainer = new Trainer<double>(Mlp<double>(1), new CrossEntropy<double>(), new Sgd<double>(0.1));
        Assert.Contains("received 0", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(XorTruthTable<double>(), new() { Epochs = 0 })).Message);
        Assert.Contains("received -3", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(XorTruthTable<double>(), new() { BatchSize = -3 })).Message);
    }

    internal static Dataset<T> NoisyXor<T>(int n, ulong seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var x = new Matrix<T>(n, 2);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int a = rng.NextInt(2), b = rng.NextInt(2);
            x[i, 0] = T.CreateChecked(a + rng.NextGaussian(0, 0.1));
            x[i, 1] = T.CreateChecked(b + rng.NextGaussian(0, 0.1));
            labels[i] = a ^ b;
        }
        return new Dataset<T>(x, labels, ["0", "1"], "noisy-xor");
    }

    private static Dataset<double> NoisyXor(int n, ulong seed) => NoisyXor<double>(n, seed);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MiniBatchesAreTheDataRowsInOrderOnAnyThreadCount(int threads)
    {
        // 64 rows of 300 features: large enough for the batch to be gathered by two threads when there are two.
        const int rows = 200, features = 300, batch = 64;
        var rng = new Rng(3);
        var x = new Matrix<float>(rows, features);
        for (int i = 0; i < x.Span.Length; i++)
            x.Span[i] = (float)rng.NextUniform(-1, 1);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        var data = new Dataset<float>(x, labels, ["a", "b", "c"], "rows");
        Sequential<float> Model() => new(new Linear<float>(features, 3, GaussianInitializer.XavierNormal, new Rng(5)));
        int before = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            var fitted = Model();
            new Trainer<float>(fitted, new CrossEntropy<float>(), new Sgd<float>(0.1)).Fit(data, new TrainingOptions<float> { Epochs = 1, BatchSize = batch, Shuffle = false });
            var stepped = Model();
            var trainer = new Trainer<float>(stepped, new CrossEntropy<float>(), new Sgd<float>(0.1));
            for (int start = 0; start < rows; start += batch)
            {
                int count = Math.Min(batch, rows - start);
                var part = data.Subset(Enumerable.Range(start, count).ToArray());
                trainer.TrainStep(part.Features, part.Targets);
            }

            Assert.Equal(stepped.SnapshotParameters(), fitted.SnapshotParameters());
        }
        finally
        {
            Parallelism.MaxThreads = before;
        }
    }
}
