using System.Diagnostics;
using System.Numerics;
using Nabla.Data;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// The state of one <see cref="Trainer{T}.Fit"/> call and its parts: starting (or resuming) the run, each
/// epoch's start, its batch loop and its end. The batch buffers and the shuffled order are allocated once
/// here, so a steady-state batch allocates nothing.
/// </summary>
internal sealed class TrainingLoop<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Trainer<T> _trainer;
    private readonly Dataset<T> _train;
    private readonly TrainingOptions<T> _options;
    private readonly int _batchSize, _batches;
    private readonly double _baseRate;
    private readonly bool _shuffle;
    private readonly Rng _rng;
    private readonly int[] _order;
    private readonly Batch _batch;
    private readonly Stopwatch _clock = new();
    private EpochProgress? _resumeWithin;

    // The running sums of the current epoch, from which its record is made, and the rate it started with.
    private double _lossSum, _secondsBefore, _epochRate;
    private int _correct, _trained, _firstBatch;

    /// <summary>
    /// Prepares a run of <paramref name="trainer"/> on <paramref name="train"/>, continuing <see cref="TrainingOptions{T}.InitialState"/>
    /// if given; <paramref name="baseRate"/> is the rate the schedule scales.
    /// </summary>
    public TrainingLoop(Trainer<T> trainer, Dataset<T> train, TrainingOptions<T> options, double baseRate)
    {
        _trainer = trainer;
        _baseRate = baseRate;
        _train = train;
        _options = options;
        int n = train.Count;
        _batchSize = Math.Min(options.BatchSize ?? n, n);
        _batches = (n + _batchSize - 1) / _batchSize;
        _shuffle = options.Shuffle && _batches > 1;
        _rng = new Rng(options.Seed);
        _order = new int[n];
        var history = options.InitialState?.History ?? new History();
        _resumeWithin = options.InitialState?.InProgress;
        if (options.InitialState is { } state)
        {
            _rng.State = state.RngState;
            FirstEpoch = state.CompletedEpochs + 1;
            history.StopReason = null;
        }
        Context = new TrainingContext<T>(trainer.Model, trainer.Optimizer, history, _rng, options.Epochs, _batches);
        _batch = new Batch(train.FeatureCount, train.TargetCount, _batchSize);
        if (options.RecordParameters && history.ParameterValues.Count == 0)
            StartParameterRecord(history);
    }

    /// <summary>What callbacks see.</summary>
    public TrainingContext<T> Context { get; }

    /// <summary>Batches per epoch.</summary>
    public int Batches => _batches;

    /// <summary>The first epoch to train: 1, or the one after a checkpoint's last completed epoch.</summary>
    public int FirstEpoch { get; } = 1;

    /// <summary>Tells the callbacks, then draws the epoch's order; it depends only on the generator's state, so a resumed run shuffles alike.</summary>
    public void BeginEpoch(int epoch)
    {
        _clock.Restart();
        Context.Epoch = epoch;
        Context.EpochStartRngState = _rng.State;
        foreach (var callback in _options.Callbacks)
            callback.OnEpochBegin(Context);
        _epochRate = _trainer.Optimizer.LearningRate;
        for (int i = 0; i < _order.Length; i++)
            _order[i] = i;
        if (_shuffle)
            _rng.Shuffle(_order.AsSpan());
        // A resumed epoch starts from its saved sums and skips the batches it had trained.
        _lossSum = _resumeWithin?.LossSum ?? 0;
        _secondsBefore = _resumeWithin?.Seconds ?? 0;
        _correct = _resumeWithin?.Correct ?? 0;
        _trained = _resumeWithin?.Trained ?? 0;
        _firstBatch = _resumeWithin?.CompletedBatches ?? 0;
        _resumeWithin = null;
    }

    /// <summary>Trains the epoch's batches; false when an interrupt stopped it part way.</summary>
    /// <exception cref="TrainingDivergedException">A step failed and the policy (or the failure) does not allow skipping it.</exception>
    public bool TrainBatches(int epoch)
    {
        for (int b = _firstBatch; b < _batches; b++)
        {
            TrainBatch(epoch, b);
            if (_options.Interrupt.IsCancellationRequested && b + 1 < _batches)
            {
                Context.Interrupt(new EpochProgress(b + 1, _lossSum, _correct, _trained, _secondsBefore + _clock.Elapsed.TotalSeconds));
                return false;
            }
        }
        return true;
    }

    /// <summary>Evaluates the validation data, records the epoch and tells the callbacks; an interrupt then stops the run at this epoch's end.</summary>
    public void EndEpoch(int epoch)
    {
        double? validationLoss = null, validationAccuracy = null;
        if (_options.Validation is { } validation)
        {
            var result = Evaluation.Run(_trainer.Model, _trainer.Loss, validation);
            validationLoss = result.Loss;
            validationAccuracy = result.Accuracy;
        }
        Context.History.Epochs.Add(new EpochRecord(epoch, _trained == 0 ? double.NaN : _lossSum / _trained,
            _train.IsClassification && _trained > 0 ? (double)_correct / _trained : null,
            validationLoss, validationAccuracy, _epochRate, _secondsBefore + _clock.Elapsed.TotalSeconds));
        // A finite loss that has exploded is divergence too; no batch is to blame, so no policy skips it.
        if (StepFailure.LossGrowthIn(Context.History) is { } growth)
            throw new TrainingDivergedException(epoch, _batches, growth, Context.History);
        // Before the callbacks, so a checkpoint saved at the end of this epoch holds the schedule's new state.
        _options.Schedule.Observe(_options.Monitor.Value(Context.History.Last));
        foreach (var callback in _options.Callbacks)
            callback.OnEpochEnd(Context);
        if (_options.Interrupt.IsCancellationRequested && epoch < _options.Epochs && !Context.StopRequested)
            Context.Interrupt(null);
    }

    /// <summary>One step on batch <paramref name="b"/> (0-based) of the epoch's order, and what it adds to the epoch's sums.</summary>
    private void TrainBatch(int epoch, int b)
    {
        int start = b * _batchSize;
        int count = Math.Min(_batchSize, _order.Length - start);
        var (x, y) = _batches == 1 ? (_train.Features, _train.Targets) : _batch.Gather(_train, _order.AsSpan(start, count));
        if (_options.Schedule.ChangesWithinEpoch)
            _trainer.Optimizer.LearningRate = _options.Schedule.Rate(_baseRate, new SchedulePosition(epoch - 1, b, _options.Epochs, _batches));
        var failure = _trainer.TryStep(x, y, out double batchLoss);
        Context.Batch = b + 1;
        if (failure is not null)
        {
            if (_options.OnDivergence == DivergencePolicy.Stop || !failure.CanSkip)
                throw new TrainingDivergedException(epoch, b + 1, failure, Context.History);
            Context.History.SkippedBatches.Add((epoch, b + 1, failure.ToString()));
            return;
        }
        _lossSum += batchLoss * count;
        _trained += count;
        if (_train.Labels is { } labels)
            _correct += _trainer.CountCorrect(labels, _batches == 1 ? null : _order.AsSpan(start, count), _batch.Predicted);
        Context.History.IterationLoss.Add(batchLoss);
        if (_options.RecordParameters)
            RecordParameters(Context.History);
        Context.BatchSize = count;
        Context.BatchLoss = batchLoss;
        foreach (var callback in _options.Callbacks)
            callback.OnBatchEnd(Context);
    }

    private void StartParameterRecord(History history)
    {
        foreach (var (name, p) in _trainer.Model.NamedParameters)
            for (int r = 0; r < p.Value.Rows; r++)
                for (int c = 0; c < p.Value.Cols; c++)
                    history.ParameterNames.Add(p.FileShape.Count == 1 ? $"{name}[{c}]" : $"{name}[{r},{c}]");
        RecordParameters(history);
    }

    private void RecordParameters(History history)
    {
        var values = new double[history.ParameterNames.Count];
        int i = 0;
        foreach (var p in _trainer.Model.Parameters)
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

        public unsafe (Matrix<T> X, Matrix<T> Y) Gather(Dataset<T> data, ReadOnlySpan<int> rows)
        {
            _x.Reshape(rows.Length, features);
            _y.Reshape(rows.Length, targets);
            fixed (T* x = _x.Span, y = _y.Span, sourceX = data.Features.Span, sourceY = data.Targets.Span)
            fixed (int* order = rows)
            {
                var job = new GatherJob { X = x, Y = y, SourceX = sourceX, SourceY = sourceY, Rows = order, Features = features, Targets = targets };
                // Shuffled rows are scattered over the data set, so copying them waits on memory row by row; two cores
                // wait on twice as many at once (mlp-sigmoid's 64 rows of 784: 24–28 µs a batch on one core, measured).
                int length = _x.Span.Length;
                Elementwise.Run(length, &GatherRange, &job, length >= ParallelGatherFrom ? Parallelism.MaxThreads : 1);
            }
            return (_x, _y);
        }

        /// <summary>
        /// Values in a batch from which two threads share its gathering: below <see cref="Elementwise.ParallelFrom"/>, as
        /// gathered rows wait on memory where a pass over a span streams. mlp-sigmoid's batches (50,176 values) and
        /// mlp-relu-wide's gained 4–5 % of a whole step (alternated `nabla bench` runs); smaller batches were not measured
        /// and stay on one thread.
        /// </summary>
        private const int ParallelGatherFrom = 1 << 14;

        private unsafe struct GatherJob
        {
            public T* X, Y, SourceX, SourceY;
            public int* Rows;
            public int Features, Targets;
        }

        /// <summary>Copies the rows whose first value lies in [start, end) of the batch: each row falls in exactly one range.</summary>
        private static unsafe void GatherRange(void* state, int part, int start, int end)
        {
            ref GatherJob job = ref *(GatherJob*)state;
            for (int i = (start + job.Features - 1) / job.Features; (long)i * job.Features < end; i++)
            {
                long row = job.Rows[i];
                new ReadOnlySpan<T>(job.SourceX + row * job.Features, job.Features).CopyTo(new Span<T>(job.X + (long)i * job.Features, job.Features));
                new ReadOnlySpan<T>(job.SourceY + row * job.Targets, job.Targets).CopyTo(new Span<T>(job.Y + (long)i * job.Targets, job.Targets));
            }
        }
    }
}
