using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// Two-dimensional toy datasets, deterministic by seed: the same arguments give the same samples,
/// bit for bit, on every platform. Class names are "0", "1", …; samples come out shuffled (as
/// scikit-learn's generators do by default), so any prefix of the rows holds every class.
/// </summary>
public static class Synthetic
{
    /// <summary>
    /// Seed 000's two Gaussians in the plane: class 0 has each coordinate ~ N(1, 0.5²), class 1 each
    /// coordinate ~ N(2, 0.2²); <c>samples / 2</c> (rounded down) are class 0, the rest class 1.
    /// </summary>
    public static Dataset<T> Gaussians<T>(int samples, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSamples<T>(samples, 2, 2, "gaussians");
        var rng = new Rng(seed);
        int n0 = samples / 2;
        var points = new double[samples, 2];
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            int label = i < n0 ? 0 : 1;
            (double mean, double std) = label == 0 ? (1.0, 0.5) : (2.0, 0.2);
            points[i, 0] = rng.NextGaussian(mean, std);
            points[i, 1] = rng.NextGaussian(mean, std);
            labels[i] = label;
        }
        return Build<T>(points, labels, 2, "gaussians", rng);
    }

    /// <summary>
    /// scikit-learn's <c>make_moons</c>: two interleaving half circles. With
    /// <c>n_out = samples / 2</c> (rounded down) and <c>n_in = samples − n_out</c>, class 0 is
    /// (cos t, sin t) for t = linspace(0, π, n_out) and class 1 is (1 − cos t, 1 − sin t − 0.5) for
    /// t = linspace(0, π, n_in); then N(0, noise²) is added to every coordinate. For an even count the
    /// noise-free mean is exactly (0.5, 0.25).
    /// </summary>
    public static Dataset<T> Moons<T>(int samples, double noise, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSamples<T>(samples, 2, 2, "moons");
        CheckNoise(noise);
        int nOut = samples / 2, nIn = samples - nOut;
        var points = new double[samples, 2];
        var labels = new int[samples];
        for (int i = 0; i < nOut; i++)
        {
            double t = Linspace(0, Math.PI, nOut, i, endpoint: true);
            (points[i, 0], points[i, 1]) = (Math.Cos(t), Math.Sin(t));
        }
        for (int i = 0; i < nIn; i++)
        {
            double t = Linspace(0, Math.PI, nIn, i, endpoint: true);
            (points[nOut + i, 0], points[nOut + i, 1]) = (1 - Math.Cos(t), 1 - Math.Sin(t) - 0.5);
            labels[nOut + i] = 1;
        }
        var rng = new Rng(seed);
        AddNoise(points, noise, rng);
        return Build<T>(points, labels, 2, "moons", rng);
    }

    /// <summary>
    /// scikit-learn's <c>make_circles</c>: class 0 is <c>samples / 2</c> (rounded down) points evenly
    /// spaced on the unit circle (t = linspace(0, 2π, n, endpoint=False)); class 1 is the rest on a
    /// circle of radius <paramref name="factor"/>; then N(0, noise²) is added to every coordinate.
    /// </summary>
    /// <param name="samples">Number of points, at least 2.</param>
    /// <param name="noise">Standard deviation of the Gaussian noise, ≥ 0.</param>
    /// <param name="factor">Inner radius over outer radius, in [0, 1).</param>
    /// <param name="seed">Seed of the noise and the shuffle.</param>
    public static Dataset<T> Circles<T>(int samples, double noise, double factor, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSamples<T>(samples, 2, 2, "circles");
        CheckNoise(noise);
        if (!(factor >= 0 && factor < 1))
            throw new NablaInputException($"circles: expected a factor in [0, 1); received {factor}.");
        int nOut = samples / 2, nIn = samples - nOut;
        var points = new double[samples, 2];
        var labels = new int[samples];
        for (int i = 0; i < nOut; i++)
        {
            double t = Linspace(0, 2 * Math.PI, nOut, i, endpoint: false);
            (points[i, 0], points[i, 1]) = (Math.Cos(t), Math.Sin(t));
        }
        for (int i = 0; i < nIn; i++)
        {
            double t = Linspace(0, 2 * Math.PI, nIn, i, endpoint: false);
            (points[nOut + i, 0], points[nOut + i, 1]) = (factor * Math.Cos(t), factor * Math.Sin(t));
            labels[nOut + i] = 1;
        }
        var rng = new Rng(seed);
        AddNoise(points, noise, rng);
        return Build<T>(points, labels, 2, "circles", rng);
    }

    /// <summary>
    /// <paramref name="arms"/> interleaved spiral arms, one class each. Arm k gets
    /// <c>samples / arms</c> points (the first <c>samples % arms</c> arms one more); its i-th of m
    /// points has radius r = i / (m − 1) and angle θ = 2πk / arms + 4r, so it sits at
    /// r·(cos θ, sin θ); then N(0, noise²) is added to every coordinate.
    /// </summary>
    public static Dataset<T> Spiral<T>(int samples, int arms, double noise, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (arms < 2)
            throw new NablaInputException($"spiral: expected at least 2 arms; received {arms}.");
        CheckSamples<T>(samples, 2 * arms, arms, "spiral");
        CheckNoise(noise);
        var points = new double[samples, 2];
        var labels = new int[samples];
        int row = 0;
        for (int k = 0; k < arms; k++)
        {
            int m = samples / arms + (k < samples % arms ? 1 : 0);
            for (int i = 0; i < m; i++, row++)
            {
                double r = (double)i / (m - 1);
                double theta = 2 * Math.PI * k / arms + 4 * r;
                (points[row, 0], points[row, 1]) = (r * Math.Cos(theta), r * Math.Sin(theta));
                labels[row] = k;
            }
        }
        var rng = new Rng(seed);
        AddNoise(points, noise, rng);
        return Build<T>(points, labels, arms, "spiral", rng);
    }

    /// <summary>
    /// Four clusters around the corners (0,0), (0,1), (1,0), (1,1), labelled by XOR of the corner's
    /// coordinates. Corner j (in that order) gets <c>samples / 4</c> points (the first
    /// <c>samples % 4</c> corners one more), each the corner plus N(0, noise²) per coordinate.
    /// </summary>
    public static Dataset<T> Xor<T>(int samples, double noise, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSamples<T>(samples, 4, 2, "xor");
        CheckNoise(noise);
        var points = new double[samples, 2];
        var labels = new int[samples];
        int row = 0;
        for (int corner = 0; corner < 4; corner++)
        {
            int m = samples / 4 + (corner < samples % 4 ? 1 : 0);
            int a = corner >> 1, b = corner & 1;
            for (int i = 0; i < m; i++, row++)
            {
                (points[row, 0], points[row, 1]) = (a, b);
                labels[row] = a ^ b;
            }
        }
        var rng = new Rng(seed);
        AddNoise(points, noise, rng);
        return Build<T>(points, labels, 2, "xor", rng);
    }

    /// <summary>The XOR truth table, unshuffled: rows (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0.</summary>
    public static Dataset<T> XorTable<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var features = Matrix<T>.FromRows([T.Zero, T.Zero], [T.Zero, T.One], [T.One, T.Zero], [T.One, T.One]);
        return new Dataset<T>(features, [0, 1, 1, 0], ClassNames(2), "xor-table");
    }

    /// <summary>numpy's <c>linspace(start, stop, count, endpoint)[index]</c>.</summary>
    private static double Linspace(double start, double stop, int count, int index, bool endpoint)
    {
        int divisions = endpoint ? count - 1 : count;
        return divisions == 0 ? start : start + (stop - start) * index / divisions;
    }

    private static void AddNoise(double[,] points, double noise, Rng rng)
    {
        if (noise == 0)
            return;
        for (int i = 0; i < points.GetLength(0); i++)
            for (int j = 0; j < points.GetLength(1); j++)
                points[i, j] += rng.NextGaussian(0, noise);
    }

    /// <summary>Shuffles the rows with <paramref name="rng"/> and converts them to <typeparamref name="T"/>.</summary>
    private static Dataset<T> Build<T>(double[,] points, int[] labels, int classes, string name, Rng rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = labels.Length, d = points.GetLength(1);
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        rng.Shuffle(order.AsSpan());
        var features = new Matrix<T>(n, d);
        var shuffled = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                features[i, j] = T.CreateChecked(points[order[i], j]);
            shuffled[i] = labels[order[i]];
        }
        return new Dataset<T>(features, shuffled, ClassNames(classes), name) { FeatureNames = ["x", "y"] };
    }

    private static string[] ClassNames(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>At least <paramref name="minimum"/> samples, and no more than fit in memory: checked before anything is allocated.</summary>
    /// <exception cref="NablaInputException">Too few samples.</exception>
    /// <exception cref="InsufficientMemoryException">Too many to fit; the message gives the estimate.</exception>
    private static void CheckSamples<T>(int samples, int minimum, int classes, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (samples < minimum)
            throw new NablaInputException($"Expected at least {minimum} samples; received {samples}.");
        // The points as doubles, the labels, the shuffled order and labels, then the features and one-hot targets as T.
        long perSample = 2 * sizeof(double) + 3 * sizeof(int) + (2 + classes) * (long)Unsafe.SizeOf<T>();
        MemoryBudget.Check(MemoryBudget.Times(samples, perSample), MemoryBudget.Times(samples, Math.Max(2, classes)),
            string.Create(CultureInfo.InvariantCulture, $"Generating {samples:N0} samples of {name}"), null, null, "Ask for fewer samples.");
    }

    private static void CheckNoise(double noise)
    {
        if (!(noise >= 0) || double.IsInfinity(noise))
            throw new NablaInputException($"Expected a finite noise level ≥ 0; received {noise}.");
    }
}
