using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Plots;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Reports;

/// <summary>
/// Everything a finished training run shows, written into one directory: an SVG per chart and
/// <c>report.html</c>, which inlines them with the run's settings and final metrics (one
/// self-contained file that opens offline). Charts that do not apply are left out: the scatter and
/// decision boundary need 2-D labelled inputs, the weight traces need
/// <see cref="TrainingOptions{T}.RecordParameters"/>, the image grid needs square images.
/// Every file is written atomically, and <c>report.html</c> last.
/// </summary>
/// <example><code>
/// var history = trainer.Fit(train, options);
/// new RunReport&lt;float&gt;(architecture, model, history, train) { Test = test, Title = "moons, 3 tanh units" }
///     .Write("runs/moons");   // runs/moons/report.html, loss-per-epoch.svg, decision-boundary.svg, …
/// </code></example>
public sealed class RunReport<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The name of the HTML file <see cref="Write"/> produces.</summary>
    public const string ReportFile = "report.html";

    /// <summary>A report on <paramref name="model"/>, built from <paramref name="architecture"/> and trained on <paramref name="train"/> as <paramref name="history"/> records.</summary>
    /// <param name="architecture">The network's description; its scaling maps raw inputs to what the model sees.</param>
    /// <param name="model">The trained network.</param>
    /// <param name="history">What training recorded.</param>
    /// <param name="train">The training data as the model saw it (after scaling).</param>
    public RunReport(Architecture architecture, Sequential<T> model, History history, Dataset<T> train)
    {
        if (train.FeatureCount != architecture.Inputs)
            throw new ArgumentException($"The training data has {train.FeatureCount} features; the architecture takes {architecture.Inputs}.", nameof(train));
        Architecture = architecture;
        Model = model;
        History = history;
        Train = train;
    }

    /// <summary>The network's description.</summary>
    public Architecture Architecture { get; }

    /// <summary>The trained network.</summary>
    public Sequential<T> Model { get; }

    /// <summary>What training recorded.</summary>
    public History History { get; }

    /// <summary>The training data, as the model saw it.</summary>
    public Dataset<T> Train { get; }

    /// <summary>Held-out data evaluated after each epoch, if any.</summary>
    public Dataset<T>? Validation { get; init; }

    /// <summary>Test data, if any; the confusion matrix and misclassified images use it when given.</summary>
    public Dataset<T>? Test { get; init; }

    /// <summary>The test loss and accuracy recorded after each epoch, drawn beside the training and validation curves.</summary>
    public EpochEvaluation<T>? TestCurve { get; init; }

    /// <summary>Page title; by default the data and the layer sizes.</summary>
    public string? Title { get; init; }

    /// <summary>The command that produced the run, shown under the title.</summary>
    public string? Command { get; init; }

    /// <summary>The run's settings (learning rate, epochs, seed…), shown after the architecture and loss.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>Metrics shown after the measured loss and accuracy of each split (e.g. the Bayes-optimal accuracy).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraMetrics { get; init; } = [];

    /// <summary>Paragraphs of explanation, shown before the figures.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>How each layer's weights and activations were distributed during training, drawn when recorded.</summary>
    public LayerDistributions<T>? Distributions { get; init; }

    /// <summary>The training-health summary of the run, shown as a table with its warnings, when measured.</summary>
    public TrainingHealth? Health { get; init; }

    /// <summary>Cells per side of the decision-boundary grid.</summary>
    public int BoundaryResolution { get; init; } = 200;

    /// <summary>Most misclassified images shown.</summary>
    public int MaxMisclassified { get; init; } = 24;

    /// <summary>
    /// Writes the SVG figures and <see cref="ReportFile"/> into <paramref name="directory"/> (created
    /// if needed) and returns the paths written, the report last.
    /// </summary>
    public IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        string lossName = RunDescription.Loss(Architecture.Loss);
        var results = Evaluate();
        var report = new HtmlReport(Title ?? $"{Train.Name}: {RunDescription.Network(Architecture)}") { Subtitle = Command };
        report.AddSetting("network", RunDescription.Network(Architecture)).AddSetting("parameters", Model.ParameterCount.ToString("N0", CultureInfo.InvariantCulture))
            .AddSetting("loss", lossName);
        if (Architecture.Scaling is { } scaling)
            report.AddSetting("input scaling", scaling.Kind.ToString().ToLowerInvariant());
        foreach (var (key, value) in Settings)
            report.AddSetting(key, value);
        AddMetrics(report, results);

        var written = new List<string>();
        void Add(ISvgFigure? figure, string file, string caption)
        {
            if (figure is null)
                return;
            string path = Path.Combine(directory, file);
            figure.Save(path);
            written.Add(path);
            report.AddFigure(figure, caption);
        }

        if (Notes.Count > 0)
        {
            report.AddSection("About this run");
            foreach (string note in Notes)
                report.AddText(note);
        }
        bool plane = Train.FeatureCount == 2 && Train.IsClassification;
        if (plane)
            Add(RunFigures.Data(Train, Architecture.Scaling, Count("Training data", Train)), "data.svg",
                "The training data in its own units, coloured by class.");

        report.AddSection("Training");
        int iterations = History.IterationLoss.Count, epochs = History.Epochs.Count;
        Add(RunFigures.LossPerIteration(History, lossName), "loss-per-iteration.svg",
            string.Create(CultureInfo.InvariantCulture, $"The training loss of each of the {iterations:N0} iterations (one optimizer step on one batch), measured on that batch before its step."));
        Add(RunFigures.LossPerEpoch(History, lossName, TestCurve), "loss-per-epoch.svg",
            string.Create(CultureInfo.InvariantCulture, $"Loss per epoch over {epochs:N0} epochs: training (mean over the epoch's batches){(Validation is null ? "" : ", validation")}{(TestCurve is null ? "" : ", test")}{StopText()}."));
        Add(RunFigures.AccuracyPerEpoch(History, TestCurve), "accuracy-per-epoch.svg",
            $"Accuracy per epoch: training (counted on each batch as it was trained){(Validation is null ? "" : ", validation")}{(TestCurve is null ? "" : ", test")}{StopText()}.");
        Add(RunFigures.LearningRatePerEpoch(History), "learning-rate-per-epoch.svg",
            "The learning rate each epoch started with, as the schedule set it (a warmup or one cycle also changes it within the first epochs' steps; history.csv has the same values).");

        if (RunFigures.Parameters(History) is { } parameters)
        {
            report.AddSection("Weights and biases");
            Add(parameters, "parameters.svg",
                "Every weight and bias after each iteration, one panel each, named as in the model file (PyTorch's numbering, where activations count as layers): \"0.weight[j,i]\" is the weight from input i to unit j of the first linear layer, \"0.bias[j]\" its bias; \"2.weight\" and \"2.bias\" belong to the next linear layer.");
        }

        AddInside(report, Add);

        if (plane)
        {
            report.AddSection("Decision boundary");
            Add(RunFigures.Boundary(Model, Architecture, Train, "Decision boundary over the training data", BoundaryResolution), "decision-boundary.svg",
                Train.ClassNames!.Count == 2
                    ? "The model's predicted class over the plane, shaded deeper where it is more confident, with the points on top in their true class colour."
                    : "The model's predicted class over the plane, with the points on top in their true class colour.");
        }

        if (Train.IsClassification)
            AddEvaluation(report, results, Add);
        if (Health is { } health)
            AddHealth(report, health);

        string reportPath = Path.Combine(directory, ReportFile);
        report.Save(reportPath);
        written.Add(reportPath);
        return written;
    }

    /// <summary>A convolutional network's filters and one sample's feature maps, and each layer's distributions over training.</summary>
    private void AddInside(HtmlReport report, Action<ISvgFigure?, string, string> add)
    {
        if (NetworkFigures.Filters(Model, Architecture) is { } filters)
        {
            report.AddSection("Inside the network");
            add(filters, "filters.svg", "The first convolution's filters after training, on one gray scale: mid-gray is 0, white the largest positive weight, black the most negative.");
            var (split, data) = Test is { Count: > 0 } test ? ("test", test) : Validation is { Count: > 0 } validation ? ("validation", validation) : ("training", Train);
            string name = $"the first {split} sample{(data.Labels is { } labels ? $" (class {data.ClassNames![labels[0]]})" : "")}";
            add(NetworkFigures.FeatureMaps(Model, Architecture, data.Features.Row(0), name), "feature-maps.svg",
                $"What each convolution makes of {name}: its feature maps after the activation that follows it, each layer from its smallest value (black) to its largest (white).");
        }
        if (Distributions is not { Snapshots.Count: > 0 } distributions)
            return;
        bool byEpoch = distributions.EverySteps is null;
        report.AddSection("Weights and activations over training");
        add(DistributionFigures.OverTraining(distributions.Snapshots, byEpoch), "distributions.svg",
            "Each layer's weights and biases, and its net inputs (the outputs of linear and convolution layers) and activations on a fixed probe batch of " +
            "validation (or training) samples, in evaluation mode: the light band spans the minimum to the maximum, the dark band the mean ± one standard deviation. " +
            "The first point is before the first step (a resumed run starts at its checkpoint).");
        add(DistributionFigures.Histograms(distributions.Snapshots, byEpoch), "histograms.svg",
            "The same values as histograms (density: the share of values per unit of value) at a few moments of training; a tensor whose values are all equal (biases before training) has no width and draws no curve.");
    }

    private List<(string Split, Dataset<T> Data, EvaluationResult Result)> Evaluate()
    {
        var loss = Architecture.CreateLoss<T>();
        var targets = Architecture.TargetScaling;
        var results = new List<(string, Dataset<T>, EvaluationResult)> { ("train", Train, Evaluation.Run(Model, loss, Train, targetScaling: targets)) };
        if (Validation is { Count: > 0 } validation)
            results.Add(("validation", validation, Evaluation.Run(Model, loss, validation, targetScaling: targets)));
        if (Test is { Count: > 0 } test)
            results.Add(("test", test, Evaluation.Run(Model, loss, test, targetScaling: targets)));
        return results;
    }

    private void AddMetrics(HtmlReport report, List<(string Split, Dataset<T> Data, EvaluationResult Result)> results)
    {
        foreach (var (split, data, result) in results)
        {
            report.AddMetric($"{split} loss", result.Loss);
            if (result.Accuracy is { } accuracy)
                report.AddMetric($"{split} accuracy", string.Create(CultureInfo.InvariantCulture,
                    $"{accuracy:0.0000} ({(int)Math.Round(accuracy * data.Count):N0} of {data.Count:N0})"));
            if (result.Regression is { } fit)
            {
                report.AddMetric($"{split} R²", fit.RSquared);
                report.AddMetric($"{split} MAE", fit.MeanAbsoluteError);
                report.AddMetric($"{split} RMSE", fit.RootMeanSquaredError);
            }
        }
        report.AddMetric("epochs run", History.Epochs.Count.ToString(CultureInfo.InvariantCulture));
        if (History.BestEpoch is { } best)
            report.AddMetric("weights kept from epoch", best.ToString(CultureInfo.InvariantCulture));
        if (History.StopReason is { } reason)
            report.AddMetric("stopped", reason.Text);
        foreach (var (name, value) in ExtraMetrics)
            report.AddMetric(name, value);
    }

    private static void AddHealth(HtmlReport report, TrainingHealth health)
    {
        report.AddSection("Training health");
        report.AddText(health.Warnings.Count == 0
            ? "Every check is within its healthy range."
            : $"{health.Warnings.Count} check(s) out of range: " + string.Join(" ", health.Warnings));
        report.AddTable("Gradient norms, dead and saturated units, and update-to-weight ratios after training",
            ["check", "quantity", "value", "healthy range", "warning"],
            health.Checks.Select(c => (IReadOnlyList<string>)
                [c.Name, c.Quantity, c.FormattedValue, c.Healthy, c.Warning ?? ""]));
    }

    private void AddEvaluation(HtmlReport report, List<(string Split, Dataset<T> Data, EvaluationResult Result)> results, Action<ISvgFigure?, string, string> add)
    {
        var (split, data, result) = results[^1];
        var predicted = result.Predicted!;
        report.AddSection($"Evaluation on the {split} set");
        add(RunFigures.Confusion(data, predicted, split), "confusion-matrix.svg",
            "Confusion matrix: true class by row, predicted class by column; each cell's colour is its share of the row.");
        var confusion = Metrics.ConfusionMatrix(data.Labels, predicted, data.ClassNames!.Count);
        var perClass = Metrics.PerClass(confusion, data.ClassNames);
        // With many classes the table keeps the worst ones, so the report stays small.
        var rows = perClass.Count <= MaxClassRows ? perClass : [.. perClass.OrderBy(c => c.F1).ThenBy(c => c.Class, StringComparer.Ordinal).Take(MaxClassRows)];
        report.AddTable(perClass.Count <= MaxClassRows
                ? $"Per-class results on the {split} set, then their macro average (every class alike) and weighted average (by support)"
                : string.Create(CultureInfo.InvariantCulture, $"Per-class results on the {split} set: the {MaxClassRows} of {perClass.Count:N0} classes with the lowest F1, then the macro and weighted averages over all classes"),
            ["class", "precision", "recall", "F1", "support"],
            rows.Concat([Metrics.MacroAverage(perClass), Metrics.WeightedAverage(perClass)]).Select(c => (IReadOnlyList<string>)
                [c.Class, F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString("N0", CultureInfo.InvariantCulture)]));
        add(RunFigures.Misclassified(data, predicted, Architecture.Scaling, split, MaxMisclassified), "misclassified.svg",
            $"The first misclassified {split} images in dataset order, each with its true class and (below, in orange) the predicted one.");
    }

    /// <summary>Most rows of the per-class table.</summary>
    private const int MaxClassRows = 50;

    private string StopText() => History.BestEpoch is { } best ? $"; the dashed line marks epoch {best}, whose weights the model keeps (early stopping)" : "";

    private static string Count(string what, Dataset<T> data) => string.Create(CultureInfo.InvariantCulture, $"{what} ({data.Count:N0} points)");

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
