using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// Layers applied one after another, like PyTorch's <c>nn.Sequential</c>: forward in order, backward in
/// reverse. Parameters are named <c>"{index}.{name}"</c> (<c>"0.weight"</c>), activations counting in the
/// index, so the names match PyTorch's <c>state_dict</c>.
/// </summary>
public sealed class Sequential<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private readonly (string Name, Parameter<T> Parameter)[] _parameters;
    private readonly Parameter<T>[] _parameterList;
    private readonly int _firstTrainable;

    /// <summary>Chains <paramref name="layers"/>.</summary>
    public Sequential(params ILayer<T>[] layers)
    {
        if (layers.Length == 0)
            throw new ArgumentException("Expected at least one layer; received none.", nameof(layers));
        _layers = layers;
        _parameters = layers
            .SelectMany((layer, i) => layer.Parameters.Select(p => ($"{i}.{p.Name}", p)))
            .ToArray();
        _parameterList = _parameters.Select(p => p.Parameter).ToArray();
        _firstTrainable = Array.FindIndex(layers, l => l.Parameters.Count > 0);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Every parameter with its PyTorch <c>state_dict</c> name, in order.</summary>
    public IReadOnlyList<(string Name, Parameter<T> Parameter)> NamedParameters => _parameters;

    /// <summary>Every parameter, in order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameterList;

    /// <summary>Total number of trainable values.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Parameter.Value.Length);

    /// <summary>Runs every layer; returns the last layer's output (a buffer reused by the next call).</summary>
    public Matrix<T> Forward(Matrix<T> input, bool training = false)
    {
        var x = input;
        foreach (var layer in _layers)
            x = layer.Forward(x, training);
        return x;
    }

    /// <summary>Runs every layer and returns a copy of each layer's output, for plots, traces and debugging.</summary>
    public IReadOnlyList<Matrix<T>> ForwardAll(Matrix<T> input, bool training = false)
    {
        var outputs = new List<Matrix<T>>(_layers.Length);
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.Forward(x, training);
            outputs.Add(x.Clone());
        }
        return outputs;
    }

    /// <summary>Backpropagates dL/doutput through every layer in reverse; returns dL/dinput.</summary>
    public Matrix<T> Backward(Matrix<T> outputGradient)
    {
        var g = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--)
            g = _layers[i].Backward(g);
        return g;
    }

    /// <summary>
    /// Backpropagates dL/doutput and accumulates every parameter's gradient, like <see cref="Backward"/>,
    /// but stops at the first layer with parameters: dL/dinput is not computed, which saves a
    /// training step the first dense layer's input-gradient product (often its largest).
    /// </summary>
    public void BackwardParameters(Matrix<T> outputGradient)
    {
        int first = _firstTrainable;
        if (first < 0)
            return;
        var g = outputGradient;
        for (int i = _layers.Length - 1; i > first; i--)
            g = _layers[i].Backward(g);
        if (_layers[first] is Dense<T> dense)
            dense.BackwardParameters(g);
        else
            _layers[first].Backward(g);
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var (_, p) in _parameters)
            p.ZeroGradient();
    }

    /// <summary>A copy of every parameter value, keyed by name (for early stopping's best weights, checkpoints).</summary>
    public Dictionary<string, T[]> SnapshotParameters() =>
        _parameters.ToDictionary(p => p.Name, p => p.Parameter.Value.Span.ToArray());

    /// <summary>Restores values taken by <see cref="SnapshotParameters"/>.</summary>
    public void RestoreParameters(IReadOnlyDictionary<string, T[]> snapshot)
    {
        foreach (var (name, p) in _parameters)
        {
            if (!snapshot.TryGetValue(name, out var values) || values.Length != p.Value.Length)
                throw new ArgumentException($"The snapshot has no {p.Value.Length} values for parameter '{name}'.", nameof(snapshot));
            values.CopyTo(p.Value.Span);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(" -> ", _layers.Select(l => l.ToString()));
}
