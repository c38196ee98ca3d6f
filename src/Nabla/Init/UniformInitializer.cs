using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Init;

/// <summary>Xavier/Glorot uniform: weights ~ U(−a, a) with <c>a = √(6/(fanIn+fanOut))</c>, the same variance as Xavier normal.</summary>
public sealed class UniformInitializer : IInitializer
{
    private UniformInitializer() { }

    /// <summary>The one instance.</summary>
    public static UniformInitializer XavierUniform { get; } = new();

    /// <inheritdoc />
    public string Name => "xavier-uniform";

    /// <inheritdoc />
    public void Fill<T>(Matrix<T> weight, Rng rng) where T : unmanaged, IFloatingPointIeee754<T> => Fill(weight, weight.Cols, weight.Rows, rng);

    /// <inheritdoc />
    public void Fill<T>(Matrix<T> weight, int fanIn, int fanOut, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        var span = weight.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = T.CreateChecked(rng.NextUniform(-limit, limit));
    }
}
