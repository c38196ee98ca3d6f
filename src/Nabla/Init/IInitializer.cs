using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Init;

/// <summary>Fills a weight matrix of shape [fanOut, fanIn] (PyTorch's layout) with starting values.</summary>
public interface IInitializer
{
    /// <summary>Short name used on the command line and in model files (<c>xavier</c>, <c>he</c>, …).</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="weight"/> (fanOut rows, fanIn columns) drawing from <paramref name="rng"/>.</summary>
    void Fill<T>(Matrix<T> weight, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>;
}
