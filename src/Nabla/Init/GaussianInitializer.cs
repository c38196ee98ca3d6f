using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Init;

/// <summary>
/// Zero-mean Gaussian weights whose standard deviation depends on the fan-in and fan-out:
/// Xavier/Glorot normal <c>σ = √(2/(in+out))</c> (seed 002), He <c>σ = √(2/in)</c> (for ReLU),
/// LeCun <c>σ = 1/√in</c> (seed 004's <c>randn/√fan_in</c>).
/// </summary>
public sealed class GaussianInitializer : IInitializer
{
    private readonly Func<int, int, double> _stdDev;

    private GaussianInitializer(string name, Func<int, int, double> stdDev)
    {
        Name = name;
        _stdDev = stdDev;
    }

    /// <summary>Xavier/Glorot normal: <c>σ = √(2/(fanIn+fanOut))</c>.</summary>
    public static GaussianInitializer XavierNormal { get; } = new("xavier", (fanIn, fanOut) => Math.Sqrt(2.0 / (fanIn + fanOut)));

    /// <summary>He (Kaiming) normal: <c>σ = √(2/fanIn)</c>.</summary>
    public static GaussianInitializer HeNormal { get; } = new("he", (fanIn, _) => Math.Sqrt(2.0 / fanIn));

    /// <summary>LeCun normal: <c>σ = 1/√fanIn</c>.</summary>
    public static GaussianInitializer LecunNormal { get; } = new("lecun", (fanIn, _) => 1.0 / Math.Sqrt(fanIn));

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The standard deviation used for a weight with this fan-in and fan-out.</summary>
    public double StdDev(int fanIn, int fanOut) => _stdDev(fanIn, fanOut);

    /// <inheritdoc />
    public void Fill<T>(Matrix<T> weight, Rng rng) where T : unmanaged, IFloatingPointIeee754<T> => Fill(weight, weight.Cols, weight.Rows, rng);

    /// <inheritdoc />
    public void Fill<T>(Matrix<T> weight, int fanIn, int fanOut, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sigma = _stdDev(fanIn, fanOut);
        var span = weight.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = T.CreateChecked(rng.NextGaussian(0, sigma));
    }
}
