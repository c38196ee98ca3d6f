using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Init;

/// <summary>
/// Explicit values: every weight set to one constant (<see cref="Zeros"/>), or to a given row-major
/// list of values, for worked examples whose starting weights are printed in the handout.
/// </summary>
public sealed class ConstantInitializer : IInitializer
{
    private readonly double[] _values;

    /// <summary>Sets the weights to <paramref name="values"/>, row-major; one value fills every weight.</summary>
    public ConstantInitializer(params double[] values)
    {
        if (values.Length == 0)
            throw new ArgumentException("Expected at least one value; received none.", nameof(values));
        _values = values;
    }

    /// <summary>All weights zero.</summary>
    public static ConstantInitializer Zeros { get; } = new(0.0);

    /// <inheritdoc />
    public string Name => _values.Length == 1 && _values[0] == 0 ? "zeros" : "explicit";

    /// <summary>The fans do not matter to explicit values.</summary>
    public void Fill<T>(Matrix<T> weight, int fanIn, int fanOut, Rng rng) where T : unmanaged, IFloatingPointIeee754<T> => Fill(weight, rng);

    /// <inheritdoc />
    public void Fill<T>(Matrix<T> weight, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = weight.Span;
        if (_values.Length != 1 && _values.Length != span.Length)
            throw new ArgumentException($"Expected 1 or {span.Length} values for a {weight.Rows}x{weight.Cols} weight; received {_values.Length}.");
        for (int i = 0; i < span.Length; i++)
            span[i] = T.CreateChecked(_values.Length == 1 ? _values[0] : _values[i]);
    }
}
