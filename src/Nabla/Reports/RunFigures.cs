using System.Globalization;
using System.Numerics;
using Nabla.Data;
using Nabla.Layers.Activations;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Plots;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Reports;

/// <summary>
/// The charts of one training run, each built from what the run produced: its data, its
/// <see cref="History"/> and its trained model. Datasets are given as the model sees them (scaled by
/// <see cref="Architecture.Scaling"/> when there is one); points and images are drawn back in the
/// data's own units, so axes read as the raw features.
/// </summary>
public static class RunFigures
{
    /// <summary>Loss curves span more than this ratio (max/min) before the y axis turns logarithmic.</summary>
    private const double LogRatio = 30;

    /// <summary>The 2-D data as a scatter coloured by class (needs exactly two features and labels).</summary>
    public static ScatterChart Data<T>(Dataset<T> data, Scaling? scaling, string title) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequirePlane(data);
        var (xLabel, yLabel) = AxisNames(data);
        return new ScatterChart(RawPoints(data, scaling), data.Labels!, data.ClassNames) { Title = title, XLabel = xLabel, YLabel = yLabel };
    }

    /// <summary>The training loss of every iteration (mini-batch step), iteration 1 first.</summary>
    public static LineChart LossPerIteration(History history, string lossName) =>
        new LineChart { Title = "Training loss per iteration", XLabel = "iteration", YLabel = lossName, LogY = SpansDecades(history.IterationLoss) }
            .Add("train", history.IterationLoss, firstX: 1);

    /// <summary>Training, validation and (when recorded each epoch) test loss per epoch, with the early-stopping epoch marked.</summary>
    public static LineChart LossPerEpoch<T>(History history, string lossName, EpochEvaluation<T>? test) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var train = history.Epochs.Select(e => e.Loss).ToList();
        var chart = new LineChart { Title = "Loss per epoch", XLabel = "epoch", YLabel = lossName };
        chart.Add("train", train, firstX: 1);
        var all = new List<double>(train);
        if (history.Epochs.Any(e => e.ValidationLoss is not null))
        {
            var validation = history.Epochs.Select(e => e.ValidationLoss ?? double.NaN).ToList();
            chart.Add("validation", validation, firstX: 1);
            all.AddRange(validation);
        }
        if (test is { Loss.Count: > 0 })
        {
            chart.Add("test", test.Loss, firstX: 1);
            all.AddRange(test.Loss);
        }
        chart.LogY = SpansDecades(all);
        return Mark(chart, history);
    }

    /// <summary>Training, validation and (when recorded each epoch) test accuracy per epoch, or null for regression.</summary>
    public static LineChart? AccuracyPerEpoch<T>(History history, EpochEvaluation<T>? test) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (history.Epochs.Count == 0 || history.Epochs[0].Accuracy is null)
            return null;
        var chart = new LineChart { Title = "Accuracy per epoch", XLabel = "epoch", YLabel = "accuracy" }
            .Add("train", history.Epochs.Select(e => e.Accuracy ?? double.NaN).ToList(), firstX: 1);
        if (history.Epochs.Any(e => e.ValidationAccuracy is not null))
            chart.Add("validation", history.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN).ToList(), firstX: 1);
        if (test is { Accuracy.Count: > 0 })
            chart.Add("test", test.Accuracy, firstX: 1);
        return Mark(chart, history);
    }

    /// <summary>The learning rate each epoch started with, or null when it never changed (a constant schedule).</summary>
    public static LineChart? LearningRatePerEpoch(History history)
    {
        var rates = history.Epochs.Select(e => e.LearningRate).ToList();
        if (rates.Distinct().Count() < 2)
            return null;
        var chart = new LineChart { Title = "Learning rate per epoch", XLabel = "epoch", YLabel = "learning rate", LogY = SpansDecades(rates.Where(r => r > 0)) }
            .Add("learning rate", rates, firstX: 1);
        return Mark(chart, history);
    }

    /// <summary>Every recorded weight and bias per iteration as small multiples, or null when none were recorded.</summary>
    public static Figure? Parameters(History history)
    {
        if (history.ParameterValues.Count == 0)
            return null;
        var values = new double[history.ParameterValues.Count, history.ParameterNames.Count];
        for (int i = 0; i < history.ParameterValues.Count; i++)
            for (int p = 0; p < history.ParameterNames.Count; p++)
                values[i, p] = history.ParameterValues[i][p];
        return ParameterTraces.Create(history.ParameterNames, values, "Every weight and bias per iteration (iteration 0: initial value)");
    }

    /// <summary>
    /// The model's predicted class over the plane of <paramref name="data"/>, with its points on top, shaded by
    /// the model's confidence (the softmax of its outputs for more than two classes).
    /// </summary>
    public static DecisionBoundary Boundary<T>(Sequential<T> model, Architecture architecture, Dataset<T> data, string title, int resolution = 200)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequirePlane(data);
        var points = RawPoints(data, architecture.Scaling);
        int classes = data.ClassNames!.Count;
        var grid = classes == 2
            ? ClassGrid.ComputeProbability(xs => ProbabilityOfClass1(model, architecture, xs), points, resolution)
            : ClassGrid.ComputeProbabilities(xs => Probabilities(model, architecture, xs), points, resolution);
        var (xLabel, yLabel) = AxisNames(data);
        return new DecisionBoundary(grid, points, data.Labels!, data.ClassNames) { Title = title, XLabel = xLabel, YLabel = yLabel };
    }

    /// <summary>Most classes a confusion matrix shows; with more, it shows those with the most mistakes, so the figure stays readable and small.</summary>
    public const int MaxConfusionClasses = 20;

    /// <summary>
    /// The confusion matrix of <paramref name="predicted"/> against the labels of <paramref name="data"/>; with more than
    /// <see cref="MaxConfusionClasses"/> classes, only the classes with the most mistakes (as true or as predicted class).
    /// </summary>
    public static Heatmap Confusion<T>(Dataset<T> data, int[] predicted, string split) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int classes = data.ClassNames!.Count;
        var counts = Metrics.ConfusionMatrix(data.Labels, predicted, classes);
        string title = string.Create(CultureInfo.InvariantCulture, $"Confusion matrix ({split}, n = {data.Count:N0})");
        if (classes <= MaxConfusionClasses)
            return new Heatmap(counts, data.ClassNames) { Title = title };
        var mistakes = new long[classes];
        for (int t = 0; t < classes; t++)
            for (int p = 0; p < classes; p++)
                if (t != p)
                {
                    mistakes[t] += counts[t, p];
                    mistakes[p] += counts[t, p];
                }
        int[] shown = [.. Enumerable.Range(0, classes).OrderByDescending(c => mistakes[c]).ThenBy(c => c).Take(MaxConfusionClasses).Order()];
        var sub = new int[shown.Length, shown.Length];
        for (int i = 0; i < shown.Length; i++)
            for (int j = 0; j < shown.Length; j++)
                sub[i, j] = counts[shown[i], shown[j]];
        return new Heatmap(sub, [.. shown.Select(c => data.ClassNames[c])])
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Confusion matrix ({split}, n = {data.Count:N0}): the {shown.Length} of {classes:N0} classes with the most mistakes"),
        };
    }

    /// <summary>
    /// Up to <paramref name="count"/> misclassified images with their true and predicted classes, or
    /// null when the features are not a square image (at least 8 × 8) or nothing was misclassified.
    /// Pixels are drawn in the data's own units, stretched so its darkest value is black and brightest white.
    /// </summary>
    public static ImageGrid? Misclassified<T>(Dataset<T> data, int[] predicted, Scaling? scaling, string split, int count = 24)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int side = ImageSide(data.FeatureCount);
        if (side == 0 || data.Labels is null)
            return null;
        var wrong = Enumerable.Range(0, data.Count).Where(i => predicted[i] != data.Labels[i]).ToList();
        if (wrong.Count == 0)
            return null;
        var raw = scaling is null ? data.Features : scaling.Invert(data.Features);
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in raw.Span)
        {
            double d = double.CreateChecked(v);
            lo = Math.Min(lo, d);
            hi = Math.Max(hi, d);
        }
        double range = hi > lo ? hi - lo : 1;
        var grid = new ImageGrid(columns: 8)
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Misclassified {split} images ({Math.Min(count, wrong.Count)} of {wrong.Count:N0})"),
        };
        var pixels = new double[data.FeatureCount];
        foreach (int i in wrong.Take(count))
        {
            var row = raw.Row(i);
            for (int p = 0; p < pixels.Length; p++)
                pixels[p] = (double.CreateChecked(row[p]) - lo) / range;
            grid.Add(pixels, side, side, $"true: {data.ClassNames![data.Labels[i]]}\npred: {data.ClassNames[predicted[i]]}");
        }
        return grid;
    }

    /// <summary>The side of the square image <paramref name="features"/> pixels make, or 0 when they make none of at least 8 × 8.</summary>
    public static int ImageSide(int features)
    {
        int side = (int)Math.Round(Math.Sqrt(features));
        return side >= 8 && side * side == features ? side : 0;
    }

    /// <summary>
    /// The model's outputs on raw points <paramref name="xs"/> ([n × 2]), after the architecture's scaling, in batches
    /// (<see cref="InferenceBatch"/>): a 200 × 200 grid in one batch through a wide layer once needed tens of gigabytes.
    /// </summary>
    private static Matrix<T> Predict<T>(Sequential<T> model, Architecture architecture, double[,] xs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = Matrix<double>.From(xs).Convert<T>();
        if (architecture.Scaling is { } scaling)
            input = scaling.Apply(input);
        var outputs = new Matrix<T>(input.Rows, architecture.Outputs);
        var batch = new Matrix<T>(0, input.Cols);
        foreach (var (start, rows) in InferenceBatch.Ranges(input.Rows, InferenceBatch.Rows(architecture)))
        {
            batch.Reshape(rows, input.Cols);
            input.Span.Slice(start * input.Cols, rows * input.Cols).CopyTo(batch.Span);
            model.Forward(batch, training: false).Span.CopyTo(outputs.Span.Slice(start * outputs.Cols, rows * outputs.Cols));
        }
        return outputs;
    }

    /// <summary>P(class 1) of a two-class model: a softmax over two logits, a sigmoid of one, or the output itself when the network ends in a softmax.</summary>
    private static double[] ProbabilityOfClass1<T>(Sequential<T> model, Architecture architecture, double[,] xs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Predict(model, architecture, xs);
        bool endsInSoftmax = architecture.Layers[^1].KindInfo == SoftmaxKind.Instance;
        var p = new double[output.Rows];
        for (int r = 0; r < output.Rows; r++)
        {
            if (output.Cols == 1)
            {
                p[r] = 1 / (1 + Math.Exp(-double.CreateChecked(output[r, 0])));
                continue;
            }
            double z0 = double.CreateChecked(output[r, 0]), z1 = double.CreateChecked(output[r, 1]);
            // softmax([z0, z1])[1] = 1 / (1 + e^(z0 − z1)), stable for any logits.
            p[r] = endsInSoftmax ? z1 : 1 / (1 + Math.Exp(z0 - z1));
        }
        return p;
    }

    /// <summary>Class probabilities: the softmax of the outputs, or the outputs themselves when the network ends in a softmax.</summary>
    private static double[,] Probabilities<T>(Sequential<T> model, Architecture architecture, double[,] xs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = Predict(model, architecture, xs);
        bool endsInSoftmax = architecture.Layers[^1].KindInfo == SoftmaxKind.Instance;
        var p = new double[output.Rows, output.Cols];
        double[] logits = new double[output.Cols], row = new double[output.Cols];
        for (int r = 0; r < output.Rows; r++)
        {
            for (int c = 0; c < row.Length; c++)
                logits[c] = row[c] = double.CreateChecked(output[r, c]);
            if (!endsInSoftmax)
                RowSoftmax.Forward<double>(logits, row, row.Length);
            for (int c = 0; c < row.Length; c++)
                p[r, c] = row[c];
        }
        return p;
    }

    private static double[,] RawPoints<T>(Dataset<T> data, Scaling? scaling) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var raw = scaling is null ? data.Features : scaling.Invert(data.Features);
        var points = new double[raw.Rows, 2];
        for (int i = 0; i < raw.Rows; i++)
        {
            points[i, 0] = double.CreateChecked(raw[i, 0]);
            points[i, 1] = double.CreateChecked(raw[i, 1]);
        }
        return points;
    }

    private static (string X, string Y) AxisNames<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T> =>
        data.FeatureNames is { Count: 2 } names ? (names[0], names[1]) : ("x₁", "x₂");

    private static void RequirePlane<T>(Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.FeatureCount != 2 || data.Labels is null)
            throw new ArgumentException($"Expected labelled data with 2 features to draw in the plane; '{data.Name}' has {data.FeatureCount} features{(data.Labels is null ? " and no labels" : "")}.", nameof(data));
    }

    private static bool SpansDecades(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = 0;
        foreach (double v in values)
            if (double.IsFinite(v) && v > 0)
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        return hi > 0 && hi / lo > LogRatio;
    }

    private static LineChart Mark(LineChart chart, History history) =>
        history.BestEpoch is { } best ? chart.AddMarker(best, $"best epoch {best} (weights kept)") : chart;
}
