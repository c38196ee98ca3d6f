using System.Globalization;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Reports;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Runs;

/// <summary>A finished <see cref="TrainingRun"/>: the trained model, what training recorded, each split's results and the training health.</summary>
public sealed record TrainingRunResult
{
    /// <summary>The network, with its input scaling.</summary>
    public required Architecture Architecture { get; init; }

    /// <summary>The trained model (the best epoch's weights when early stopping kept them).</summary>
    public required Sequential<float> Model { get; init; }

    /// <summary>What training recorded, epoch by epoch and step by step.</summary>
    public required History History { get; init; }

    /// <summary>The training split, as the model saw it.</summary>
    public required Dataset<float> Train { get; init; }

    /// <summary>The validation split, or null.</summary>
    public Dataset<float>? Validation { get; init; }

    /// <summary>The test set, or null.</summary>
    public Dataset<float>? Test { get; init; }

    /// <summary>The test loss and accuracy after each epoch, when recorded.</summary>
    public EpochEvaluation<float>? TestCurve { get; init; }

    /// <summary>How the layers' weights and activations were distributed during training, when recorded.</summary>
    public LayerDistributions<float>? Distributions { get; init; }

    /// <summary>The final model on the training split.</summary>
    public required EvaluationResult OnTrain { get; init; }

    /// <summary>The final model on the validation split, or null.</summary>
    public EvaluationResult? OnValidation { get; init; }

    /// <summary>The final model on the test set, or null.</summary>
    public EvaluationResult? OnTest { get; init; }

    /// <summary>The training-health summary, when measured.</summary>
    public TrainingHealth? Health { get; init; }

    /// <summary>Seconds spent training (this process's part of a resumed run).</summary>
    public double Seconds { get; init; }

    /// <summary>The files written, when the run had an output directory.</summary>
    public RunFiles? Files { get; init; }

    /// <summary>Each evaluated split in order (train, validation, test) with its data and results.</summary>
    public IReadOnlyList<(string Split, Dataset<float> Data, EvaluationResult Result)> Splits =>
    [
        ("train", Train, OnTrain),
        .. Validation is not null && OnValidation is not null ? [("validation", Validation, OnValidation)] : Array.Empty<(string, Dataset<float>, EvaluationResult)>(),
        .. Test is not null && OnTest is not null ? [("test", Test, OnTest)] : Array.Empty<(string, Dataset<float>, EvaluationResult)>(),
    ];

    /// <summary>The run's report (figures and <c>report.html</c>), ready to <see cref="RunReport{T}.Write"/>.</summary>
    /// <param name="settings">Settings listed after the architecture and loss.</param>
    /// <param name="title">The page title; by default the data and the network.</param>
    /// <param name="command">The command that produced the run, shown under the title.</param>
    /// <param name="extraMetrics">Metrics listed after each split's loss and accuracy.</param>
    public RunReport<float> Report(IReadOnlyList<KeyValuePair<string, string>> settings, string? title = null, string? command = null,
        IReadOnlyList<KeyValuePair<string, string>>? extraMetrics = null) => new(Architecture, Model, History, Train)
    {
        Title = title,
        Command = command,
        Validation = Validation,
        Test = Test,
        TestCurve = TestCurve,
        Distributions = Distributions,
        Health = Health,
        Settings = settings,
        ExtraMetrics = extraMetrics ?? [],
    };

    /// <summary>The report's first setting: the data and how many training samples the model saw.</summary>
    internal KeyValuePair<string, string> DataSetting => new("data", string.Create(CultureInfo.InvariantCulture, $"{Train.Name} ({Train.Count:N0} training samples)"));
}
