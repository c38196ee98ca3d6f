namespace Nabla.Layers.Kinds;

/// <summary>What a layer does, as traces and reports name its output.</summary>
public enum LayerRole
{
    /// <summary>Weights times inputs plus a bias (<c>Linear</c>, <c>Conv2d</c>): its output is a net input <c>z</c>.</summary>
    Affine,

    /// <summary>An elementwise (or row-wise) activation: its output is an activation <c>a = f(z)</c>.</summary>
    Activation,

    /// <summary>Anything else: pooling, normalisation, reshaping, dropout.</summary>
    Other,
}
