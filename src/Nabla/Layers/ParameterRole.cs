namespace Nabla.Layers;

/// <summary>What a trainable parameter is, which decides whether L2 weight decay applies to it.</summary>
public enum ParameterRole
{
    /// <summary>A weight that multiplies inputs (dense or convolution); weight decay applies (seed 004's <c>λ/2 ΣW²</c>).</summary>
    Weight,

    /// <summary>An added bias; no weight decay.</summary>
    Bias,

    /// <summary>A normalisation layer's scale γ; no weight decay.</summary>
    Scale,

    /// <summary>A normalisation layer's shift β; no weight decay.</summary>
    Shift,
}
