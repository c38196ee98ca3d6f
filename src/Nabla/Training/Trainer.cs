using System.Diagnostics;
using System.Numerics;
using Nabla.Data;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// The training loop, and the only place that loops: for each epoch, for each mini-batch, forward,
/// loss, backward, optimizer step. Batches are gathered into buffers that are reused, so a steady-state
/// step allocates nothing.
/// </summary>
public sealed class Trainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _lastOutput;

    /// <summary>Trains <paramref name="model"/> to lower <paramref name="loss"/> with <paramref name="optimizer"/>.</summary>
    public Trainer(Sequential<T> model, ILoss<T> loss, IOptimizer<T> optimizer)
    {
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
    }

    /// <summary>The model being trained.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The loss it minimises.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The optimizer that updates it.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>Trains on <paramref name="train"/> and returns what happened, epoch by epoch.</summary>
    public History Fit(Dataset<T> train, TrainingOptions<T> options)
    {
        options.Validate(train);
        int n = train.Count;
        int batchSize = Math.Min(options.BatchSize ?? n, n);
        int batches = (n + batchSize - 1) / batchSize;
        bool shuffle = options.Shuffle && batches > 1;
        var rng = new Rng(options.Seed);
        var order = new int[n];
        var history = options.InitialState?.History ?? new History();
        int firstEpoch = 1;
        var resumeWithin = options.InitialState?.InProgress;
        if (options.InitialState is { } state)
        {
            rng.State = state.RngState;
            firstEpoch = state.CompletedEpochs + 1;
            history.StopReason = null;
        }

        var context = new TrainingContext<T>(Model, Optimizer, history, rng, options.Epochs, batches);
        var batch = new Batch(train.FeatureCount, train.TargetCount, batchSize);
        double baseRate = Optimizer.LearningRate;
        if (options.RecordParameters && history.ParameterValues.Count == 0)
            StartParameterRecord(history);

        foreach (var callback in options.Callbacks)
            callback.OnTrainBegin(context);
        for (int epoch = firstEpoch; epoch <= options.Epochs && !context.StopRequested && !context.Interrupted; epoch++)
        {
            var clock = Stopwatch.StartNew();
            context.Epoch = epoch;
            context.EpochStartRngState = rng.State;
            Optimizer.LearningRate = options.Schedule.Rate(baseRate, SchedulePosition.StartOf(epoch - 1, options.Epochs, batches));
            foreach (var callback in options.Callbacks)
                callback.OnEpochBegin(context);
            double epochRate = Optimizer.LearningRate;
            // Each epoch's order depends only on the generator's state, so a resumed run shuffles alike.
            for (int i = 0; i < n; i++)
                order[i] = i;
            if (shuffle)
                rng.Shuffle(order.AsSpan());

            double lossSum = resumeWithin?.LossSum ?? 0, secondsBefore = resumeWithin?.Seconds ?? 0;
            int correct = resumeWithin?.Correct ?? 0, trained = resumeWithin?.Trained ?? 0;
            int firstBatch = resumeWithin?.CompletedBatches ?? 0;
            resumeWithin = null;
            for (int b = firstBatch; b < batches; b++)
            {
                int start = b * batchSize;
                int count = Math.Min(batchSize, n - start);
                var (x, y) = batches == 1 ? (train.Features, train.Targets) : batch.Gather(train, order.AsSpan(start, count));
                if (options.Schedule.ChangesWithinEpoch)
                    Optimizer.LearningRate = options.Schedule.Rate(baseRate, new SchedulePosition(epoch - 1, b, options.Epochs, batches));
                var failure = TryStep(x, y, out double batchLoss);
                context.Batch = b + 1;
                if (failure is not null)
                {
                    if (options.OnDivergence == DivergencePolicy.Stop || failure.StartsWith("parameter", StringComparison.Ordinal))
                        throw new TrainingDivergedException(epoch, b + 1, failure, history);
                    history.SkippedBatches.Add((epoch, b + 1, failure));
                }
                else
                {
                    lossSum += batchLoss * count;
                    trained += count;
                    if (train.Labels is { } labels)
                        correct += CountCorrect(labels, batches == 1 ? null : order.AsSpan(start, count), batch.Predicted);
                    history.IterationLoss.Add(batchLoss);
                    if (options.RecordParameters)
                        RecordParameters(history);
                    context.BatchSize = count;
                    context.BatchLoss = batchLoss;
                    foreach (var callback in options.Callbacks)
                        callback.OnBatchEnd(context);
                }
                if (options.Interrupt.IsCancellationRequested && b + 1 < batches)
                {
                    context.Interrupt(new EpochProgress(b + 1, lossSum, correct, trained, secondsBefore + clock.Elapsed.TotalSeconds));
                    break;
                }
            }
            if (context.Interrupted)
                break;

            double? validationLoss = null, validationAccuracy = null;
            if (options.Validation is { } validation)
            {
                var result = Evaluation.Run(Model, Loss, validation);
                validationLoss = result.Loss;
                validationAccuracy = result.Accuracy;
            }
            history.Epochs.Add(new EpochRecord(epoch, trained == 0 ? double.NaN : lossSum / trained,
                train.IsClassification && trained > 0 ? (double)correct / trained : null,
                validationLoss, validationAccuracy, epochRate, secondsBefore + clock.Elapsed.TotalSeconds));
            // Before the callbacks, so a checkpoint saved at the end of this epoch holds the schedule's new state.
            options.Schedule.Observe(validationLoss ?? history.Last.Loss);
            foreach (var callback in options.Callbacks)
                callback.OnEpochEnd(context);
            if (options.Interrupt.IsCancellationRequested && epoch < options.Epochs && !context.StopRequested)
                context.Interrupt(null);
        }
        foreach (var callback in options.Callbacks)
            callback.OnTrainEnd(context);
        return history;
    }

    /// <summary>One optimizer step on a batch; returns the batch's mean loss before the step.</summary>
    /// <exception cref="TrainingDivergedException">A NaN or infinity appeared; the step was not applied.</exception>
    public double TrainStep(Matrix<T> x, Matrix<T> y) =>
        TryStep(x, y, out double loss) is { } failure ? throw new TrainingDivergedException(0, 0, failure) : loss;

    /// <summary>
    /// Forward, loss, backward and, if everything is finite, the optimizer step. Returns null on
    /// success, else where the first non-finite value appeared (and leaves the weights untouched).
    /// </summary>
    private string? TryStep(Matrix<T> x, Matrix<T> y, out double loss)
    {
        Model.ZeroGradients();
        var output = _lastOutput = Model.Forward(x, training: true);
        loss = double.CreateChecked(Loss.Forward(output, y));
        if (!double.IsFinite(loss))
            return Divergence.FirstNonFiniteForward(Model) ?? "loss";
        Model.BackwardParameters(Loss.Backward());
        if (Divergence.FirstNonFiniteGradient(Model) is { } gradient)
            return gradient;
        Optimizer.Step(Model.Parameters);
        return null;
    }

    // The model's output buffer still holds this batch's predictions: the step changed only the weights.
    private int CountCorrect(int[] labels, ReadOnlySpan<int> rows, int[] predicted)
    {
        var output = _lastOutput!;
        Metrics.ArgMaxRows(output, predicted.AsSpan(0, output.Rows));
        int correct = 0;
        for (int i = 0; i < output.Rows; i++)
            if (predicted[i] == labels[rows.IsEmpty ? i : rows[i]])
                correct++;
        return correct;
    }

    private void StartParameterRecord(History history)
    {
        foreach (var (name, p) in Model.NamedParameters)
            for (int r = 0; r < p.Value.Rows; r++)
                for (int c = 0; c < p.Value.Cols; c++)
                    history.ParameterNames.Add(p.FileShape.Count == 1 ? $"{name}[{c}]" : $"{name}[{r},{c}]");
        RecordParameters(history);
    }

    private void RecordParameters(History history)
    {
        var values = new double[history.ParameterNames.Count];
        int i = 0;
        foreach (var p in Model.Parameters)
            foreach (var v in p.Value.Span)
                values[i++] = double.CreateChecked(v);
        history.ParameterValues.Add(values);
    }

    /// <summary>Reused buffers for one mini-batch.</summary>
    private sealed class Batch(int features, int targets, int capacity)
    {
        private readonly Matrix<T> _x = new(capacity, features);
        private readonly Matrix<T> _y = new(capacity, targets);

        public int[] Predicted { get; } = new int[capacity];

        public (Matrix<T> X, Matrix<T> Y) Gather(Dataset<T> data, ReadOnlySpan<int> rows)
        {
            _x.Reshape(rows.Length, features);
            _y.Reshape(rows.Length, targets);
            for (int i = 0; i < rows.Length; i++)
            {
                data.Features.Row(rows[i]).CopyTo(_x.Row(i));
                data.Targets.Row(rows[i]).CopyTo(_y.Row(i));
            }
            return (_x, _y);
        }
    }
}
