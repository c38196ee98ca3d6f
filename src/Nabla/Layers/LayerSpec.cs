using System.Text.Json.Serialization;
using Nabla.Layers.Kinds;

namespace Nabla.Layers;

/// <summary>
/// One layer of a network without its weights: the PyTorch module name of its <see cref="LayerKind"/> and the
/// options given to it, named as in PyTorch (<c>Linear</c> with <c>in_features</c> and <c>out_features</c>,
/// <c>Conv2d</c> with <c>kernel_size</c>, <c>Dropout</c> with <c>p</c>). Options left out take the kind's
/// defaults. In JSON it is one object: <c>{"kind": "Linear", "in_features": 784, "out_features": 256}</c>.
/// </summary>
[JsonConverter(typeof(LayerSpecJsonConverter))]
public sealed class LayerSpec : IEquatable<LayerSpec>
{
    private readonly KeyValuePair<string, OptionValue>[] _options;

    /// <summary>A layer of kind <paramref name="kind"/> with the given options (in the kind's order, as given).</summary>
    public LayerSpec(string kind, params IEnumerable<KeyValuePair<string, OptionValue>> options)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        Kind = kind;
        _options = [.. options];
        var duplicate = _options.GroupBy(o => o.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{kind}: the option '{duplicate.Key}' is given twice.", nameof(options));
    }

    /// <summary>The PyTorch module name (<c>Linear</c>, <c>ReLU</c>, <c>Conv2d</c>).</summary>
    public string Kind { get; }

    /// <summary>The options given, by name; options left out take the kind's defaults.</summary>
    public IReadOnlyList<KeyValuePair<string, OptionValue>> Options => _options;

    /// <summary>The registered kind of this layer.</summary>
    /// <exception cref="ArgumentException">No kind of that name is registered.</exception>
    public LayerKind KindInfo => LayerKinds.Get(Kind);

    /// <summary>A linear layer of <paramref name="inputs"/> ⇒ <paramref name="outputs"/> units.</summary>
    public static LayerSpec Linear(int inputs, int outputs) =>
        new("Linear", [new("in_features", OptionValue.Of(inputs)), new("out_features", OptionValue.Of(outputs))]);

    /// <summary>An activation by its command-line name (<c>tanh</c>, <c>sigmoid</c>, <c>relu</c>, <c>leaky-relu</c>, <c>elu</c>, <c>softmax</c>, <c>identity</c>).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="ActivationNames"/>.</exception>
    public static LayerSpec Activation(string name) => name.ToLowerInvariant() switch
    {
        "tanh" => new("Tanh"),
        "sigmoid" => new("Sigmoid"),
        "relu" => new("ReLU"),
        "leaky-relu" or "leakyrelu" or "leaky_relu" => new("LeakyReLU", [new("negative_slope", OptionValue.Of(0.01))]),
        "elu" => new("ELU"),
        "softmax" => new("Softmax"),
        "identity" or "linear" => new("Identity"),
        _ => throw new ArgumentException($"Unknown activation '{name}'; expected one of: {string.Join(", ", ActivationNames)}.", nameof(name)),
    };

    /// <summary>The activation names <see cref="Activation"/> accepts.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = ["tanh", "sigmoid", "relu", "leaky-relu", "elu", "softmax", "identity"];

    /// <summary>The value given for <paramref name="name"/>, or null.</summary>
    public OptionValue? Given(string name)
    {
        foreach (var (key, value) in _options)
            if (key == name)
                return value;
        return null;
    }

    /// <summary>The value of <paramref name="name"/>: given, else the kind's default.</summary>
    /// <exception cref="ArgumentException">Neither given nor defaulted.</exception>
    public OptionValue Value(string name) =>
        Given(name) ?? KindInfo.Option(name).Default ?? throw new ArgumentException($"{this}: the option '{name}' is missing.");

    /// <summary>A whole-number option.</summary>
    public int Int(string name) => (int)Value(name).Number!.Value;

    /// <summary>A real-number option.</summary>
    public double Real(string name) => Value(name).Number!.Value;

    /// <summary>A truth-value option.</summary>
    public bool Flag(string name) => Value(name).Flag!.Value;

    /// <summary>A (height, width) option, given as one number for both or as a pair.</summary>
    public (int Height, int Width) Pair(string name)
    {
        var value = Value(name);
        return value.Pair ?? ((int)value.Number!.Value, (int)value.Number!.Value);
    }

    /// <summary>This spec with <paramref name="name"/> set to <paramref name="value"/> (replacing a given value, else appended).</summary>
    public LayerSpec With(string name, OptionValue value) =>
        new(Kind, Given(name) is null ? [.. _options, new(name, value)] : _options.Select(o => o.Key == name ? new(name, value) : o));

    /// <inheritdoc />
    public bool Equals(LayerSpec? other) =>
        other is not null && Kind == other.Kind && _options.Length == other._options.Length
        && _options.All(o => other.Given(o.Key) is { } v && v.Equals(o.Value));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LayerSpec);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _options.Length);

    /// <summary>As PyTorch would construct it: <c>Linear(784, 256)</c>, <c>Conv2d(1, 32, 3, padding=1)</c>, <c>ReLU</c>.</summary>
    public override string ToString()
    {
        if (_options.Length == 0)
            return Kind;
        var order = LayerKinds.TryGet(Kind, out var kind) ? kind.Options.Select(o => o.Name).ToList() : [];
        // A lazy spec (input size left to the shape) prints as PyTorch's lazy module: Linear(784).
        if (kind is not null && kind.Options.Take(kind.InferredOptions).All(o => Given(o.Name) is null))
            order = order[kind.InferredOptions..];
        var parts = new List<string>();
        int next = 0; // options given in signature order, with none skipped, print positionally
        foreach (var name in order)
        {
            if (Given(name) is not { } value)
                break;
            parts.Add(value.ToString());
            next++;
        }
        var positional = order.Take(next).ToHashSet(StringComparer.Ordinal);
        parts.AddRange(_options.Where(o => !positional.Contains(o.Key)).Select(o => $"{o.Key}={o.Value}"));
        return $"{Kind}({string.Join(", ", parts)})";
    }
}
