namespace Nabla.Layers.Kinds;

/// <summary>Which training-health measure applies to a layer's output.</summary>
public enum ActivationHealth
{
    /// <summary>None.</summary>
    None,

    /// <summary>The share of units that output zero for every probe sample (ReLU).</summary>
    DeadUnits,

    /// <summary>The share of outputs with <c>|a| &gt; 0.99</c>, where tanh's derivative is nearly zero.</summary>
    SaturatesAtOne,

    /// <summary>The share of outputs within 0.01 of 0 or 1, where the sigmoid's derivative is nearly zero.</summary>
    SaturatesAtZeroAndOne,
}
