namespace Nabla.Plots;

/// <summary>
/// A classifier's answer on a regular grid over a rectangle of the input plane: the predicted class
/// of each cell, and optionally the probability of class 1. Row 0 is the bottom (smallest y), column
/// 0 the left (smallest x); each value belongs to its cell's centre.
/// </summary>
/// <example><code>
/// var grid = ClassGrid.Compute(xs => model.PredictClasses(xs), trainingPoints, resolution: 200);
/// </code></example>
public sealed class ClassGrid
{
    /// <summary>
    /// A grid of predicted classes over [xMin, xMax] × [yMin, yMax]; <paramref name="classes"/> is [rows × columns], and
    /// <paramref name="confidence"/>, when known, how sure the model is of each cell's class, from 0 (a tie) to 1.
    /// </summary>
    public ClassGrid(double xMin, double xMax, double yMin, double yMax, int[,] classes, double[,]? confidence = null)
    {
        if (!(xMin < xMax) || !(yMin < yMax) || !double.IsFinite(xMax - xMin) || !double.IsFinite(yMax - yMin))
            throw new ArgumentException($"Expected a finite rectangle with xMin < xMax and yMin < yMax; received [{xMin}, {xMax}] x [{yMin}, {yMax}].");
        if (classes.Length == 0)
            throw new ArgumentException("Expected at least one grid cell; received an empty grid.", nameof(classes));
        if (confidence is not null && (confidence.GetLength(0) != classes.GetLength(0) || confidence.GetLength(1) != classes.GetLength(1)))
            throw new ArgumentException($"Expected confidences of shape [{classes.GetLength(0)} x {classes.GetLength(1)}] like the classes; received [{confidence.GetLength(0)} x {confidence.GetLength(1)}].", nameof(confidence));
        XMin = xMin;
        XMax = xMax;
        YMin = yMin;
        YMax = yMax;
        Classes = classes;
        Confidence = confidence;
    }

    /// <summary>Left edge of the grid.</summary>
    public double XMin { get; }

    /// <summary>Right edge of the grid.</summary>
    public double XMax { get; }

    /// <summary>Bottom edge of the grid.</summary>
    public double YMin { get; }

    /// <summary>Top edge of the grid.</summary>
    public double YMax { get; }

    /// <summary>Predicted class per cell, [rows × columns], row 0 at the bottom.</summary>
    public int[,] Classes { get; }

    /// <summary>
    /// How sure the model is of each cell's class, from 0 (a tie) to 1 (certain), or null when only classes are
    /// known: <c>|2p − 1|</c> for two classes, <c>(p_max − 1/K) / (1 − 1/K)</c> for K.
    /// </summary>
    public double[,]? Confidence { get; }

    /// <summary>Number of rows (cells along y).</summary>
    public int Rows => Classes.GetLength(0);

    /// <summary>Number of columns (cells along x).</summary>
    public int Columns => Classes.GetLength(1);

    /// <summary>
    /// Evaluates <paramref name="classify"/> once on the centres of a
    /// <paramref name="resolution"/> × <paramref name="resolution"/> grid over the bounding box of
    /// <paramref name="points"/> ([n × 2]), widened by <paramref name="margin"/> of its size on every
    /// side. The classifier receives all centres as one [cells × 2] batch and returns a class for each.
    /// </summary>
    public static ClassGrid Compute(Func<double[,], int[]> classify, double[,] points, int resolution = 200, double margin = 0.1)
    {
        var (xMin, xMax, yMin, yMax) = Bounds(points, margin);
        var centres = Centres(xMin, xMax, yMin, yMax, resolution);
        int[] predicted = classify(centres);
        CheckLength(predicted.Length, centres.GetLength(0));
        var classes = new int[resolution, resolution];
        Buffer.BlockCopy(predicted, 0, classes, 0, predicted.Length * sizeof(int));
        return new ClassGrid(xMin, xMax, yMin, yMax, classes);
    }

    /// <summary>
    /// Like <see cref="Compute"/>, for a two-class model given as the probability of class 1; the
    /// predicted class is 1 where that probability is at least 0.5, and the chart shades by confidence.
    /// </summary>
    public static ClassGrid ComputeProbability(Func<double[,], double[]> probabilityOfClass1, double[,] points, int resolution = 200, double margin = 0.1)
    {
        var (xMin, xMax, yMin, yMax) = Bounds(points, margin);
        var centres = Centres(xMin, xMax, yMin, yMax, resolution);
        double[] p = probabilityOfClass1(centres);
        CheckLength(p.Length, centres.GetLength(0));
        var classes = new int[resolution, resolution];
        var confidence = new double[resolution, resolution];
        for (int i = 0; i < p.Length; i++)
        {
            confidence[i / resolution, i % resolution] = Math.Min(1, Math.Abs(2 * p[i] - 1));
            classes[i / resolution, i % resolution] = p[i] >= 0.5 ? 1 : 0;
        }
        return new ClassGrid(xMin, xMax, yMin, yMax, classes, confidence);
    }

    /// <summary>
    /// Like <see cref="Compute"/>, for a model given as class probabilities (one row of K per point, K ≥ 2); the
    /// predicted class is the most probable (ties to the first), and the chart shades by confidence, so the
    /// boundaries between regions show as smooth pale bands at any resolution.
    /// </summary>
    public static ClassGrid ComputeProbabilities(Func<double[,], double[,]> probabilities, double[,] points, int resolution = 200, double margin = 0.1)
    {
        var (xMin, xMax, yMin, yMax) = Bounds(points, margin);
        var centres = Centres(xMin, xMax, yMin, yMax, resolution);
        var p = probabilities(centres);
        CheckLength(p.GetLength(0), centres.GetLength(0));
        int k = p.GetLength(1);
        if (k < 2)
            throw new ArgumentException($"Expected probabilities of at least 2 classes per point; received {k}.", nameof(probabilities));
        var classes = new int[resolution, resolution];
        var confidence = new double[resolution, resolution];
        for (int i = 0; i < p.GetLength(0); i++)
        {
            int best = 0;
            for (int c = 1; c < k; c++)
                if (p[i, c] > p[i, best])
                    best = c;
            classes[i / resolution, i % resolution] = best;
            confidence[i / resolution, i % resolution] = Math.Clamp((p[i, best] - 1.0 / k) / (1 - 1.0 / k), 0, 1);
        }
        return new ClassGrid(xMin, xMax, yMin, yMax, classes, confidence);
    }

    private static (double, double, double, double) Bounds(double[,] points, double margin)
    {
        if (points.GetLength(1) != 2)
            throw new ArgumentException($"Expected points of shape [n x 2]; received [{points.GetLength(0)} x {points.GetLength(1)}].", nameof(points));
        var (xLo, xHi, yLo, yHi) = ClassPoints.Extent(points)
            ?? throw new ArgumentException("Expected at least one finite point to bound the grid; received none.", nameof(points));
        double mx = xHi > xLo ? (xHi - xLo) * margin : 0.5, my = yHi > yLo ? (yHi - yLo) * margin : 0.5;
        return (xLo - mx, xHi + mx, yLo - my, yHi + my);
    }

    /// <summary>Cell centres in row-major order (row 0 = bottom), as one [resolution² × 2] batch.</summary>
    private static double[,] Centres(double xMin, double xMax, double yMin, double yMax, int resolution)
    {
        if (resolution < 2 || resolution > 2000)
            throw new ArgumentException($"Expected a resolution in [2, 2000]; received {resolution}.", nameof(resolution));
        var centres = new double[resolution * resolution, 2];
        double dx = (xMax - xMin) / resolution, dy = (yMax - yMin) / resolution;
        for (int r = 0; r < resolution; r++)
            for (int c = 0; c < resolution; c++)
            {
                centres[r * resolution + c, 0] = xMin + (c + 0.5) * dx;
                centres[r * resolution + c, 1] = yMin + (r + 0.5) * dy;
            }
        return centres;
    }

    private static void CheckLength(int received, int expected)
    {
        if (received != expected)
            throw new ArgumentException($"Expected the classifier to return one value per grid point ({expected}); received {received}.");
    }
}
