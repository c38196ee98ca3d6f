using System.Globalization;
using Nabla.Data;
using Nabla.Playground.Engine;
using Nabla.Tensors;

namespace Nabla.Playground.Views;

/// <summary>
/// The plane the page draws a run's data on, and the grids of that plane the model is evaluated over.
/// Two features are drawn in their own units; more are drawn on their first two principal components
/// (<see cref="Projection"/>, of the inputs as the model sees them). The square extent covers every
/// drawn point with a margin, so shapes keep their proportions.
/// </summary>
internal sealed class PlaneView
{
    /// <summary>Cells per side of the decision-boundary grid (and of an enlarged neuron).</summary>
    public const int BoundaryCells = 96;

    /// <summary>Cells per side of each neuron's small heatmap.</summary>
    public const int NeuronCells = 20;

    /// <summary>Most training points sent to the page.</summary>
    public const int MaxTrainPoints = 5_000;

    /// <summary>Most test points sent to the page.</summary>
    public const int MaxTestPoints = 1_000;

    private readonly Projection? _projection;
    private readonly Scaling? _scaling;
    private readonly int _features;

    /// <summary>Lays out <paramref name="data"/>.</summary>
    public PlaneView(RunData data)
    {
        _scaling = data.Scaling;
        _features = data.Train.FeatureCount;
        if (_features > 2)
            _projection = Projection.Fit(data.Train.Features.Span, data.Train.Count, _features);
        TrainPoints = Place(data.Train, MaxTrainPoints);
        TestPoints = Place(data.Test, Math.Min(MaxTestPoints, Math.Max(200, data.Train.Count)));
        Extent = SquareExtent(TrainPoints.Points, TestPoints.Points);
        BoundaryInputs = GridInputs(BoundaryCells);
        NeuronInputs = GridInputs(NeuronCells);
        var names = data.Train.FeatureNames ?? [.. Enumerable.Range(1, _features).Select(i => $"x{i}")];
        FeatureNames = names;
        (XLabel, YLabel) = _projection is null ? (names[0], names[1]) : ("PC 1", "PC 2");
        Note = _projection is null ? null : string.Create(CultureInfo.InvariantCulture,
            $"Drawn on the first two principal components of the features{(_scaling is null ? "" : " as scaled")} ({100 * _projection.Explained:0}% of the variance); the boundary is the model's on that plane through the mean of the data.");
    }

    /// <summary>Drawn training points: plane coordinates (x, y pairs) and labels.</summary>
    public (float[] Points, int[] Labels) TrainPoints { get; }

    /// <summary>Drawn test points (the first ones of the test set).</summary>
    public (float[] Points, int[] Labels) TestPoints { get; }

    /// <summary>The drawn square: x from, x to, y from, y to.</summary>
    public double[] Extent { get; }

    /// <summary>The model inputs at the centres of the <see cref="BoundaryCells"/>² grid, row by row from the top.</summary>
    public Matrix<float> BoundaryInputs { get; }

    /// <summary>The model inputs at the centres of the <see cref="NeuronCells"/>² grid, row by row from the top.</summary>
    public Matrix<float> NeuronInputs { get; }

    /// <summary>The input features' names, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The horizontal axis' name.</summary>
    public string XLabel { get; }

    /// <summary>The vertical axis' name.</summary>
    public string YLabel { get; }

    /// <summary>What a projection shows, or null for two features.</summary>
    public string? Note { get; }

    /// <summary>The raw value of each input feature at the centres of the <see cref="NeuronCells"/>² grid: what the input nodes show.</summary>
    public float[][] InputFeatureCells()
    {
        var raw = RawGrid(NeuronCells);
        return [.. Enumerable.Range(0, _features).Select(j => Enumerable.Range(0, raw.Rows).Select(r => raw[r, j]).ToArray())];
    }

    private (float[] Points, int[] Labels) Place(Dataset<float> data, int max)
    {
        int n = Math.Min(max, data.Count);
        var points = new float[2 * n];
        var raw = _projection is null && _scaling is not null ? _scaling.Invert(Dataset<float>.Gather(data.Features, [.. Enumerable.Range(0, n)])) : data.Features;
        for (int i = 0; i < n; i++)
        {
            var row = raw.Row(i);
            (double u, double v) = _projection is null ? (row[0], row[1]) : _projection.Project(row);
            points[2 * i] = (float)u;
            points[2 * i + 1] = (float)v;
        }
        return (points, data.Labels![..n]);
    }

    private static double[] SquareExtent(float[] a, float[] b)
    {
        double xMin = double.MaxValue, xMax = double.MinValue, yMin = double.MaxValue, yMax = double.MinValue;
        foreach (var points in (float[][])[a, b])
            for (int i = 0; i < points.Length; i += 2)
            {
                xMin = Math.Min(xMin, points[i]);
                xMax = Math.Max(xMax, points[i]);
                yMin = Math.Min(yMin, points[i + 1]);
                yMax = Math.Max(yMax, points[i + 1]);
            }
        double half = Math.Max(Math.Max(xMax - xMin, yMax - yMin) / 2 * 1.1, 1e-3);
        double cx = (xMin + xMax) / 2, cy = (yMin + yMax) / 2;
        return [cx - half, cx + half, cy - half, cy + half];
    }

    /// <summary>The grid's points in the data's own units (or the model's, on the PCA plane).</summary>
    private Matrix<float> RawGrid(int cells)
    {
        var grid = new Matrix<float>(cells * cells, _features);
        for (int r = 0; r < cells; r++)
            for (int c = 0; c < cells; c++)
            {
                double u = Extent[0] + (c + 0.5) / cells * (Extent[1] - Extent[0]);
                double v = Extent[3] - (r + 0.5) / cells * (Extent[3] - Extent[2]);
                var row = grid.Row(r * cells + c);
                if (_projection is null)
                    (row[0], row[1]) = ((float)u, (float)v);
                else
                    _projection.Unproject(u, v, row);
            }
        return grid;
    }

    private Matrix<float> GridInputs(int cells) => _projection is null ? EngineData.ToModelInputs(RawGrid(cells), _scaling) : RawGrid(cells);
}
