using System.Numerics;
using Nabla.Data;
using Nabla.Layers;
using Nabla.Losses;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Training;

/// <summary>
/// The training loop, and the only place that loops: for each epoch, for each mini-batch, forward,
/// loss, backward, optimizer step. <see cref="Fit"/> is the outline (each epoch's learning rate, then
/// its start, batches and end); <see cref="TrainingLoop{T}"/> holds a fit's state and does the parts.
/// Batches are gathered into buffers that are reused, so a steady-state step allocates nothing.
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
        double baseRate = Optimizer.LearningRate;
        var loop = new TrainingLoop<T>(this, train, options, baseRate);
        var context = loop.Context;
        foreach (var callback in options.Callbacks)
            callback.OnTrainBegin(context);
        for (int epoch = loop.FirstEpoch; epoch <= options.Epochs && !context.StopRequested && !context.Interrupted; epoch++)
        {
            Optimizer.LearningRate = options.Schedule.Rate(baseRate, SchedulePosition.StartOf(epoch - 1, options.Epochs, loop.Batches));
            loop.BeginEpoch(epoch);
            if (!loop.TrainBatches(epoch))
                break;
            loop.EndEpoch(epoch);
        }
        foreach (var callback in options.Callbacks)
            callback.OnTrainEnd(context);
        return context.History;
    }

    /// <summary>One optimizer step on a batch; returns the batch's mean loss before the step.</summary>
    /// <exception cref="TrainingDivergedException">A NaN or infinity appeared; the step was not applied.</exception>
    public double TrainStep(Matrix<T> x, Matrix<T> y) =>
        TryStep(x, y, out double loss) is { } failure ? throw new TrainingDivergedException(0, 0, failure) : loss;

    /// <summary>
    /// Forward, loss, backward and, if everything is finite, the optimizer step. Returns null on
    /// success, else where the first non-finite value appeared (and leaves the weights untouched).
    /// </summary>
    internal StepFailure? TryStep(Matrix<T> x, Matrix<T> y, out double loss)
    {
        Model.ZeroGradients();
        var output = _lastOutput = Model.Forward(x, training: true);
        loss = double.CreateChecked(Loss.Forward(output, y));
        if (!double.IsFinite(loss))
            return Divergence.FirstNonFiniteForward(Model) ?? StepFailure.Loss;
        Model.BackwardParameters(Loss.Backward());
        if (Divergence.FirstNonFiniteGradient(Model) is { } gradient)
            return gradient;
        Optimizer.Step(Model.Parameters);
        return null;
    }

    // The model's output buffer still holds this batch's predictions: the step changed only the weights.
    internal int CountCorrect(int[] labels, ReadOnlySpan<int> rows, int[] predicted)
    {
        var output = _lastOutput!;
        Metrics.ArgMaxRows(output, predicted.AsSpan(0, output.Rows));
        int correct = 0;
        for (int i = 0; i < output.Rows; i++)
            if (predicted[i] == labels[rows.IsEmpty ? i : rows[i]])
                correct++;
        return correct;
    }
}
