namespace Nabla.Playground.Views;

/// <summary>
/// Principal component analysis to two dimensions, for display only: data with more than two features is
/// drawn on the plane through its mean spanned by its first two principal components, and the model is
/// evaluated on that plane (a slice of its decision function). The library has no PCA; this is the
/// covariance matrix and power iteration with deflation, enough for the at most
/// <see cref="PlaygroundLimits.MaxCsvFeatures"/> features an upload may have.
/// </summary>
internal sealed class Projection
{
    private const int Iterations = 500;

    private Projection(double[] mean, double[] first, double[] second, double explained)
    {
        Mean = mean;
        First = first;
        Second = second;
        Explained = explained;
    }

    /// <summary>The mean of the data, the plane's origin.</summary>
    public double[] Mean { get; }

    /// <summary>The first principal direction (unit length).</summary>
    public double[] First { get; }

    /// <summary>The second principal direction (unit length, orthogonal to the first).</summary>
    public double[] Second { get; }

    /// <summary>The share of the total variance the two directions explain, in [0, 1].</summary>
    public double Explained { get; }

    /// <summary>The first two principal components of the rows of <paramref name="rows"/> (n × d, row-major, d ≥ 2).</summary>
    public static Projection Fit(ReadOnlySpan<float> rows, int n, int d)
    {
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
                mean[j] += rows[i * d + j];
        for (int j = 0; j < d; j++)
            mean[j] /= n;
        var covariance = new double[d, d];
        var centred = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
                centred[j] = rows[i * d + j] - mean[j];
            for (int a = 0; a < d; a++)
                for (int b = a; b < d; b++)
                    covariance[a, b] += centred[a] * centred[b];
        }
        double trace = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = a; b < d; b++)
                covariance[b, a] = covariance[a, b] /= Math.Max(1, n - 1);
            trace += covariance[a, a];
        }
        var (first, l1) = Dominant(covariance, d);
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                covariance[a, b] -= l1 * first[a] * first[b];
        var (second, l2) = Dominant(covariance, d);
        return new Projection(mean, first, second, trace > 0 ? Math.Clamp((l1 + l2) / trace, 0, 1) : 1);
    }

    /// <summary>The plane coordinates of one row.</summary>
    public (double U, double V) Project(ReadOnlySpan<float> row)
    {
        double u = 0, v = 0;
        for (int j = 0; j < Mean.Length; j++)
        {
            double c = row[j] - Mean[j];
            u += c * First[j];
            v += c * Second[j];
        }
        return (u, v);
    }

    /// <summary>The point of the data space at plane coordinates (<paramref name="u"/>, <paramref name="v"/>), written into <paramref name="row"/>.</summary>
    public void Unproject(double u, double v, Span<float> row)
    {
        for (int j = 0; j < Mean.Length; j++)
            row[j] = (float)(Mean[j] + u * First[j] + v * Second[j]);
    }

    /// <summary>The dominant eigenvector and eigenvalue of a symmetric positive semi-definite matrix, its largest entry made positive.</summary>
    private static (double[] Vector, double Value) Dominant(double[,] matrix, int d)
    {
        var v = new double[d];
        for (int j = 0; j < d; j++)
            v[j] = 1 + 0.01 * j; // not orthogonal to any eigenvector in practice, and the same every time
        Normalize(v);
        var next = new double[d];
        double value = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            for (int a = 0; a < d; a++)
            {
                double sum = 0;
                for (int b = 0; b < d; b++)
                    sum += matrix[a, b] * v[b];
                next[a] = sum;
            }
            value = Normalize(next);
            if (value == 0)
                return (UnitVector(d, 0), 0);
            (v, next) = (next, v);
        }
        int largest = 0;
        for (int j = 1; j < d; j++)
            if (Math.Abs(v[j]) > Math.Abs(v[largest]))
                largest = j;
        if (v[largest] < 0)
            for (int j = 0; j < d; j++)
                v[j] = -v[j];
        return (v, value);
    }

    private static double Normalize(double[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => x * x));
        if (norm > 0)
            for (int j = 0; j < v.Length; j++)
                v[j] /= norm;
        return norm;
    }

    private static double[] UnitVector(int d, int index)
    {
        var v = new double[d];
        v[index] = 1;
        return v;
    }
}
