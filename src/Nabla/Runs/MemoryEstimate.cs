using System.Globalization;
using Nabla.Data;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Runs;

/// <summary>
/// What a <see cref="TrainingRun"/> will hold in memory, in bytes, estimated from its options before anything is
/// allocated, so a network or a batch that cannot fit is refused with the estimate instead of failing part way (or
/// after an hour of swapping). An estimate: it counts the large arrays, not the objects around them.
/// </summary>
/// <param name="Parameters">The weights, biases and buffers (float32).</param>
/// <param name="Gradients">One gradient per parameter.</param>
/// <param name="OptimizerState">The optimizer's buffers (SGD's velocity, Adam's two moments).</param>
/// <param name="Copies">
/// Copies of the weights: the health summary's weights before the last step, early stopping's best weights, and
/// while a checkpoint or the model file is saved, its snapshot and its bytes.
/// </param>
/// <param name="LayerOutputs">Each layer's output buffer for the largest batch (trained, evaluated or the report's), and its input-gradient buffer for the largest batch trained.</param>
/// <param name="Data">The data, with the copies that splitting and scaling make.</param>
/// <param name="LargestArray">Elements of the largest single array (a layer's weight or a batch's layer output).</param>
/// <param name="LargestArrayHolds">What that array holds: <c>"layer 0's weight"</c>, <c>"layer 1's outputs for 1,000 rows"</c>.</param>
public sealed record MemoryEstimate(long Parameters, long Gradients, long OptimizerState, long Copies, long LayerOutputs, long Data, long LargestArray,
    string LargestArrayHolds)
{
    /// <summary>Everything together (saturating at <see cref="long.MaxValue"/>).</summary>
    public long Total => MemoryBudget.Plus(Parameters, Gradients, OptimizerState, Copies, LayerOutputs, Data);

    /// <summary>The estimate for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The network does not fit the data (as <see cref="TrainingRun"/> would say).</exception>
    public static MemoryEstimate For(TrainingRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layers = Architecture.For(options.Train, options.Network, options.Loss).Resolve();
        long parameters = 0, buffers = 0, largest = 0;
        string holds = "";
        foreach (var tensor in layers.SelectMany(l => l.Tensors))
        {
            long values = tensor.Shape.Aggregate(1L, MemoryBudget.Times);
            if (values > largest)
                (largest, holds) = (values, $"the tensor {tensor.Name}");
            if (tensor.Role == TensorRole.Parameter)
                parameters = MemoryBudget.Plus(parameters, values);
            else
                buffers = MemoryBudget.Plus(buffers, values);
        }
        long weights = MemoryBudget.Times(parameters, sizeof(float));
        long slots = options.Optimizer().BuffersPerParameter;
        int copies = (options.MeasureHealth ? 1 : 0) + (options.EarlyStoppingPatience is null ? 0 : 1);
        // Saving snapshots the state and serializes it: two more copies of the weights, buffers and optimizer state at once.
        long saving = options.OutputDirectory is null ? 0 : MemoryBudget.Times(2 * sizeof(float), MemoryBudget.Plus(parameters, buffers, MemoryBudget.Times(slots, parameters)));

        // Each layer keeps an output buffer as large as the largest batch it saw, and a gradient buffer for its input as
        // large as the largest batch trained (or probed by the health summary); evaluation batches are up to 1,024 rows,
        // of any split, or of the report's decision-boundary grid.
        int trainRows = options.Train.Count;
        long trained = Math.Max(options.BatchSize is { } b ? Math.Min(b, trainRows) : trainRows, Math.Min(TrainingRun.HealthProbeSamples, trainRows));
        long evaluated = Math.Min(InferenceBatch.MaxRows,
            new[] { trainRows, options.Validation?.Count ?? 0, options.Test?.Count ?? 0, options.OutputDirectory is null ? 0 : InferenceBatch.MaxRows }.Max());
        long rows = Math.Max(trained, evaluated);
        long outputs = layers.Sum(l => (long)l.Output.Size), inputs = layers.Sum(l => (long)l.Input.Size);
        // Plus the batch's inputs and targets and the loss's buffers.
        long activations = MemoryBudget.Plus(MemoryBudget.Times(rows, outputs), MemoryBudget.Times(trained, inputs),
            MemoryBudget.Times(rows, options.Train.FeatureCount + 3L * layers[^1].Output.Size));
        var widest = layers.MaxBy(l => l.Output.Size)!;
        if (MemoryBudget.Times(rows, widest.Output.Size) > largest)
            (largest, holds) = (MemoryBudget.Times(rows, widest.Output.Size), string.Create(CultureInfo.InvariantCulture, $"the outputs of layer {widest.Index} for {rows:N0} rows"));

        return new MemoryEstimate(
            Parameters: MemoryBudget.Times(MemoryBudget.Plus(parameters, buffers), sizeof(float)),
            Gradients: weights,
            OptimizerState: MemoryBudget.Times(slots, weights),
            Copies: MemoryBudget.Plus(MemoryBudget.Times(copies, weights), saving),
            LayerOutputs: MemoryBudget.Times(activations, sizeof(float)),
            Data: DataBytes(options),
            LargestArray: largest,
            LargestArrayHolds: holds);
    }

    /// <summary>Refuses a run that cannot fit in <see cref="MemoryBudget.AvailableBytes"/>, or needs an array larger than .NET allows.</summary>
    /// <exception cref="InsufficientMemoryException">It cannot; the message gives the estimate part by part and what to reduce.</exception>
    public void Check() =>
        MemoryBudget.Check(Total, LargestArray, "The training run", ToString(), LargestArrayHolds, "Fewer or smaller layers, a smaller batch or less data need less.");

    /// <summary>The parts: <c>parameters 7.5 GiB, gradients 7.5 GiB, …</c>.</summary>
    public override string ToString() => string.Join(", ",
        new (string Name, long Bytes)[]
        {
            ("parameters", Parameters), ("gradients", Gradients), ("optimizer state", OptimizerState), ("weight copies", Copies),
            ("layer outputs", LayerOutputs), ("data", Data),
        }.Where(p => p.Bytes > 0).Select(p => $"{p.Name} {MemoryBudget.Format(p.Bytes)}"));

    /// <summary>The datasets, plus the copies the hold-out splits and the fitted scaling make.</summary>
    private static long DataBytes(TrainingRunOptions options)
    {
        static long Bytes(Dataset<float>? d) => d is null ? 0
            : MemoryBudget.Plus(MemoryBudget.Times((long)d.Count * sizeof(float), d.FeatureCount + d.TargetCount), d.Labels is null ? 0 : (long)d.Count * sizeof(int));
        static long Features(Dataset<float>? d) => d is null ? 0 : MemoryBudget.Times((long)d.Count * sizeof(float), d.FeatureCount);
        long total = MemoryBudget.Plus(Bytes(options.Train), Bytes(options.Validation), Bytes(options.Test));
        if (options.TestFraction is not null || options.ValidationFraction is not null)
            total = MemoryBudget.Plus(total, Bytes(options.Train));
        if (options.Scaling != ScalingKind.None)
            total = MemoryBudget.Plus(total, Features(options.Train), Features(options.Validation), Features(options.Test));
        return total;
    }
}
