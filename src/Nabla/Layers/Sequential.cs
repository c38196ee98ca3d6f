using System.Numerics;
using Nabla.Init;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Layers;

/// <summary>
/// PyTorch's <c>nn.Sequential</c> as a kind. It is built from code (nest a <see cref="Sequential{T}"/> in
/// another), not spelled in a network list, so it has no options and resolves no spec.
/// </summary>
public sealed class SequentialKind : LayerKind
{
    private SequentialKind()
    {
    }

    /// <summary>The one instance.</summary>
    public static SequentialKind Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "Sequential";

    /// <inheritdoc />
    public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
        throw new NotSupportedException(Unspellable);

    /// <inheritdoc />
    protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input) =>
        throw new ArgumentException(Unspellable);

    private const string Unspellable = "Sequential is not spelled in a network list: list its layers instead, or nest Sequential<T> objects in code.";
}

/// <summary>
/// Layers applied one after another, like PyTorch's <c>nn.Sequential</c>: forward in order, backward in
/// reverse. It is itself a layer, so sequences nest. Tensors are named <c>"{index}.{name}"</c> (<c>"0.weight"</c>,
/// <c>"1.0.bias"</c> inside a nested sequence), activations counting in the index, so the names match
/// PyTorch's <c>state_dict</c>.
/// </summary>
public sealed class Sequential<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private readonly (string Name, Parameter<T> Parameter)[] _parameters;
    private readonly Parameter<T>[] _parameterList;
    private readonly (string Name, LayerTensor Tensor)[] _tensors;
    private readonly (string Name, Rng Random)[] _random;
    private readonly Matrix<T>[] _lastOutputs;
    private readonly int _firstTrainable;

    /// <summary>Chains <paramref name="layers"/>.</summary>
    public Sequential(params ILayer<T>[] layers)
    {
        if (layers.Length == 0)
            throw new ArgumentException("Expected at least one layer; received none.", nameof(layers));
        _layers = layers;
        _tensors = [.. layers.SelectMany((layer, i) => TensorsOf(layer).Select(t => ($"{i}.{t.Name}", t.Tensor)))];
        _parameters = [.. _tensors.Where(t => t.Tensor is Parameter<T>).Select(t => (t.Name, (Parameter<T>)t.Tensor))];
        _parameterList = [.. _parameters.Select(p => p.Parameter)];
        _random = [.. layers.SelectMany((layer, i) => RandomOf(layer).Select(r => (r.Name.Length == 0 ? $"{i}" : $"{i}.{r.Name}", r.Random)))];
        _lastOutputs = new Matrix<T>[layers.Length];
        _firstTrainable = Array.FindIndex(layers, l => l.Parameters.Count > 0);
    }

    /// <inheritdoc />
    public LayerKind Kind => SequentialKind.Instance;

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Every parameter with its PyTorch <c>state_dict</c> name, in order.</summary>
    public IReadOnlyList<(string Name, Parameter<T> Parameter)> NamedParameters => _parameters;

    /// <summary>Every tensor a model file stores (parameters, buffers and counters) with its <c>state_dict</c> name, in PyTorch's order.</summary>
    public IReadOnlyList<(string Name, LayerTensor Tensor)> NamedTensors => _tensors;

    /// <summary>Every parameter, in order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameterList;

    /// <summary>Every buffer and counter of every layer, in order.</summary>
    public IReadOnlyList<LayerTensor> Buffers => [.. _tensors.Select(t => t.Tensor).Where(t => t is not Parameter<T>)];

    /// <summary>Every layer's own random generator, named by the layer's index (<c>"2"</c>, <c>"1.3"</c> when nested).</summary>
    public IReadOnlyList<(string Name, Rng Random)> NamedRandom => _random;

    /// <summary>Total number of trainable values.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Parameter.Value.Length);

    /// <summary>Each layer's output from the last <see cref="Forward"/> (the layers' own buffers, valid until the next call).</summary>
    internal IReadOnlyList<Matrix<T>> LastOutputs => _lastOutputs;

    /// <summary>Runs every layer; returns the last layer's output (a buffer reused by the next call).</summary>
    public Matrix<T> Forward(Matrix<T> input, bool training = false)
    {
        var x = input;
        for (int i = 0; i < _layers.Length; i++)
            x = _lastOutputs[i] = _layers[i].Forward(x, training);
        return x;
    }

    /// <summary>Runs every layer and returns a copy of each layer's output, for plots, traces and debugging.</summary>
    public IReadOnlyList<Matrix<T>> ForwardAll(Matrix<T> input, bool training = false)
    {
        Forward(input, training);
        return [.. _lastOutputs.Select(o => o.Clone())];
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
        _layers[first].BackwardParameters(g);
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var p in _parameterList)
            p.ZeroGradient();
    }

    /// <summary>A copy of every parameter value, keyed by name (the weights before an update, for training health).</summary>
    public Dictionary<string, T[]> SnapshotParameters() =>
        _parameters.ToDictionary(p => p.Name, p => p.Parameter.Value.Span.ToArray());

    /// <summary>Puts back parameter values taken by <see cref="SnapshotParameters"/> (buffers and generators are left as they are).</summary>
    /// <exception cref="ArgumentException">A parameter is missing or has the wrong number of values.</exception>
    public void RestoreParameters(IReadOnlyDictionary<string, T[]> snapshot)
    {
        foreach (var (name, p) in _parameters)
        {
            if (!snapshot.TryGetValue(name, out var values) || values.Length != p.Value.Length)
                throw new ArgumentException($"The snapshot has no {p.Value.Length} values for parameter '{name}'.", nameof(snapshot));
            values.CopyTo(p.Value.Span);
        }
    }

    /// <summary>A copy of every tensor a model file stores and of each layer's generator, keyed by name (for early stopping's best weights and checkpoints).</summary>
    public ModelState<T> SnapshotState() => new(
        _tensors.Where(t => t.Tensor is not Counter).ToDictionary(t => t.Name, t => ValuesOf(t.Tensor).ToArray()),
        _tensors.Where(t => t.Tensor is Counter).ToDictionary(t => t.Name, t => ((Counter)t.Tensor).Value),
        _random.ToDictionary(r => r.Name, r => r.Random.State));

    /// <summary>Restores values taken by <see cref="SnapshotState"/>.</summary>
    /// <exception cref="ArgumentException">A tensor or generator is missing, or a tensor has the wrong number of values.</exception>
    public void RestoreState(ModelState<T> state)
    {
        foreach (var (name, random) in _random)
            random.State = state.Random.TryGetValue(name, out var generator)
                ? generator
                : throw new ArgumentException($"The snapshot has no generator state for layer '{name}'.", nameof(state));
        foreach (var (name, tensor) in _tensors)
        {
            if (tensor is Counter counter)
            {
                counter.Value = state.Counters.TryGetValue(name, out long count)
                    ? count
                    : throw new ArgumentException($"The snapshot has no count for '{name}'.", nameof(state));
                continue;
            }
            var destination = ValuesOf(tensor);
            if (!state.Values.TryGetValue(name, out var values) || values.Length != destination.Length)
                throw new ArgumentException($"The snapshot has no {destination.Length} values for '{name}'.", nameof(state));
            values.CopyTo(destination);
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(" -> ", _layers.Select(l => l.ToString()));

    /// <summary>The values of a parameter or buffer.</summary>
    private static Span<T> ValuesOf(LayerTensor tensor) => tensor switch
    {
        Parameter<T> p => p.Value.Span,
        Buffer<T> b => b.Values,
        _ => throw new ArgumentException($"Tensor '{tensor.Name}' holds no {typeof(T).Name} values."),
    };

    private static IEnumerable<(string Name, LayerTensor Tensor)> TensorsOf(ILayer<T> layer) => layer is Sequential<T> inner
        ? inner.NamedTensors
        : layer.Parameters.Select(p => (p.Name, (LayerTensor)p)).Concat(layer.Buffers.Select(b => (b.Name, b)));

    private static IEnumerable<(string Name, Rng Random)> RandomOf(ILayer<T> layer) => layer is Sequential<T> inner
        ? inner.NamedRandom
        : layer.Random is { } random ? [("", random)] : [];
}
