using System.Globalization;
using System.Text;

namespace Nabla.Training;

/// <summary>
/// What a training run recorded: per-epoch metrics, the loss of every iteration (mini-batch step) and,
/// when asked for, every parameter value after every iteration (seed 001's weight plots).
/// </summary>
public sealed class History
{
    /// <summary>Per-epoch metrics, in order.</summary>
    public List<EpochRecord> Epochs { get; } = [];

    /// <summary>The training loss of each iteration's batch, in order.</summary>
    public List<double> IterationLoss { get; } = [];

    /// <summary>Names of the recorded values (<c>"0.weight[1,0]"</c>), when parameters are recorded.</summary>
    public List<string> ParameterNames { get; } = [];

    /// <summary>Row <c>i</c> holds every parameter value after iteration <c>i</c> (row 0: before training).</summary>
    public List<double[]> ParameterValues { get; } = [];

    /// <summary>Batches skipped under <see cref="DivergencePolicy.SkipBatch"/>: epoch, batch and where the NaN or infinity appeared.</summary>
    public List<(int Epoch, int Batch, string Where)> SkippedBatches { get; } = [];

    /// <summary>The epoch whose weights the model ends with when early stopping restored the best ones.</summary>
    public int? BestEpoch { get; set; }

    /// <summary>Why training stopped before the last epoch, if it did.</summary>
    public StopReason? StopReason { get; set; }

    /// <summary>The last epoch's record.</summary>
    public EpochRecord Last => Epochs.Count > 0 ? Epochs[^1] : throw new InvalidOperationException("The history has no epochs yet.");

    /// <summary>The CSV header of <see cref="ToCsv"/>.</summary>
    public const string CsvHeader = "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds";

    /// <summary>The per-epoch metrics as CSV (<see cref="CsvHeader"/>; empty cells for absent values).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var e in Epochs)
            sb.Append(CultureInfo.InvariantCulture,
                $"{e.Epoch},{F(e.Loss)},{F(e.Accuracy)},{F(e.ValidationLoss)},{F(e.ValidationAccuracy)},{F(e.LearningRate)},{e.Seconds.ToString("0.###", CultureInfo.InvariantCulture)}\n");
        return sb.ToString();
    }

    private static string F(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
