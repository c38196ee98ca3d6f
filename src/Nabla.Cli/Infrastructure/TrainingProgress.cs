using System.Globalization;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// One plain line per epoch, throttled to about <see cref="Lines"/> lines (the first, every k-th and the
/// last epoch): for logs, CI and pipes. The speed is the printed epoch's own (samples trained over its time).
/// </summary>
internal sealed class EpochLines(TextWriter output) : ITrainingCallback<float>
{
    /// <summary>About how many epoch lines a run prints.</summary>
    public const int Lines = 20;

    private readonly SpeedMeter _speed = new();
    private int _printed;

    /// <inheritdoc />
    public void OnEpochBegin(TrainingContext<float> context) => _speed.Restart();

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<float> context) => _speed.Add(context.BatchSize);

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
        if (_speed.SamplesPerSecond is { } rate)
            line.Append(CultureInfo.InvariantCulture, $"  {rate:0} samples/s");
        output.WriteLine(line);
        _printed = e.Epoch;
    }
}

/// <summary>
/// Drives a live Spectre progress bar (<see cref="Task"/>, set once the display has started): epoch, batch, loss, samples
/// per second over the current epoch so far; the bar's columns add the ETA.
/// </summary>
internal sealed class LiveProgress : ITrainingCallback<float>
{
    private readonly SpeedMeter _speed = new();

    /// <summary>The bar to drive.</summary>
    public ProgressTask? Task { get; set; }

    /// <inheritdoc />
    public void OnEpochBegin(TrainingContext<float> context) => _speed.Restart();

    /// <inheritdoc />
    public void OnBatchEnd(TrainingContext<float> context)
    {
        if (Task is not { } task)
            return;
        _speed.Add(context.BatchSize);
        string rate = _speed.SamplesPerSecond is { } r ? string.Create(CultureInfo.InvariantCulture, $" {r:0} samples/s") : "";
        task.Description = string.Create(CultureInfo.InvariantCulture,
            $"epoch {context.Epoch}/{context.TotalEpochs} batch {context.Batch}/{context.BatchesPerEpoch} loss {context.BatchLoss:0.0000}{rate}");
        task.Increment(1);
    }
}
