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

    /// <summary>
    /// Fills <paramref name="weight"/> as a tensor with the given fans, which its matrix shape does not show: a
    /// convolution's [out, in·kh·kw] weight has PyTorch's <c>fan_in = in·kh·kw</c> and <c>fan_out = out·kh·kw</c>.
    /// Draws exactly as <see cref="Fill{T}(Matrix{T}, Rng)"/> does for a matrix of those fans.
    /// </summary>
    void Fill<T>(Matrix<T> weight, int fanIn, int fanOut, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Fills the <paramref name="bias"/> of a layer with the given fans, drawing from <paramref name="rng"/> right after its
    /// weight. Biases start at zero (the Glorot and He papers' convention, and Keras's) and nothing is drawn, unless the
    /// initializer is one that draws them, as scikit-learn's <c>MLPClassifier</c> does.
    /// </summary>
    void FillBias<T>(Span<T> bias, int fanIn, int fanOut, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }
}
