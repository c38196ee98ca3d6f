using System.Diagnostics;
using System.Globalization;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// One plain line per epoch, throttled to about <see cref="Lines"/> lines (the first, every k-th and the
/// last epoch): for logs, CI and pipes.
/// </summary>
internal sealed class EpochLines(TextWriter output) : ITrainingCallback<float>
{
    /// <summary>About how many epoch lines a run prints.</summary>
    public const int Lines = 20;

    private readonly Stopwatch _clock = new();
    private long _samples;
    private int _printed;

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext<float> context) => _clock.Start();

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<float> context) => _samples += context.BatchSize;

    /// <inheritdoc />
    public void OnEpochEnd(TrainingContext<float> context)
    {
        int every = Math.Max(1, (context.TotalEpochs + Lines - 1) / Lines);
        int epoch = context.History.Last.Epoch;
        if (epoch == 1 || epoch % every == 0 || epoch == context.TotalEpochs)
            Print(context);
    }

    /// <inheritdoc />
    public void OnTrainEnd(TrainingContext<float> context)
    {
        if (context.History.Epochs.Count > 0 && _printed != context.History.Last.Epoch)
            Print(context);
    }

    private void Print(TrainingContext<float> context)
    {
        var e = context.History.Last;
        int width = context.TotalEpochs.ToString(CultureInfo.InvariantCulture).Length;
        var line = new System.Text.StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{context.TotalEpochs}  loss {Format.Loss(e.Loss)}");
        if (e.Accuracy is { } a)
            line.Append(CultureInfo.InvariantCulture, $"  accuracy {Format.Ratio(a)}");
        if (e.ValidationLoss is { } vl)
            line.Append(CultureInfo.InvariantCulture, $"  val_loss {Format.Loss(vl)}");
        if (e.ValidationAccuracy is { } va)
            line.Append(CultureInfo.InvariantCulture, $"  val_accuracy {Format.Ratio(va)}");
        double seconds = _clock.Elapsed.TotalSeconds;
        if (seconds > 0)
            line.Append(CultureInfo.InvariantCulture, $"  {_samples / seconds:0} samples/s");
        output.WriteLine(line);
        _printed = e.Epoch;
    }
}

/// <summary>Drives a live Spectre progress bar (<see cref="Task"/>, set once the display has started): epoch, batch, loss, samples per second; the bar's columns add the ETA.</summary>
internal sealed class LiveProgress : ITrainingCallback<float>
{
    private readonly Stopwatch _clock = new();
    private long _samples;

    /// <summary>The bar to drive.</summary>
    public ProgressTask? Task { get; set; }

    /// <inheritdoc />
    public void OnTrainBegin(TrainingContext<float> context) => _clock.Start();

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<float> context)
    {
        if (Task is not { } task)
            return;
        _samples += context.BatchSize;
        double rate = _samples / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        task.Description = string.Create(CultureInfo.InvariantCulture,
            $"epoch {context.Epoch}/{context.TotalEpochs} batch {context.Batch}/{context.BatchesPerEpoch} loss {context.BatchLoss:0.0000} {rate:0} samples/s");
        task.Increment(1);
    }
}
