namespace Nabla.Layers.Kinds;

/// <summary>The type of a layer option's value.</summary>
public enum OptionType
{
    /// <summary>A whole number (<c>out_features=784</c>).</summary>
    Int,

    /// <summary>A real number (<c>p=0.5</c>).</summary>
    Real,

    /// <summary><c>True</c> or <c>False</c> (<c>bias=False</c>).</summary>
    Bool,

    /// <summary>A whole number or a pair of them for height and width (<c>kernel_size=3</c>, <c>kernel_size=(3, 5)</c>).</summary>
    IntPair,
}
