using System.Collections.Concurrent;
using Nabla.Layers.Activations;

namespace Nabla.Layers.Kinds;

/// <summary>
/// The registry of layer kinds by PyTorch module name. Nabla's own kinds are registered here, one line each;
/// a program (or a test) adds its own with <see cref="Register"/>, and from then on the architecture, model
/// files, traces, reports and gradient checks take it like any built-in kind.
/// </summary>
public static class LayerKinds
{
    private static readonly ConcurrentDictionary<string, LayerKind> Kinds = new(StringComparer.OrdinalIgnoreCase);

    static LayerKinds()
    {
        Register(LinearKind.Instance);
        Register(TanhKind.Instance);
        Register(SigmoidKind.Instance);
        Register(ReluKind.Instance);
        Register(LeakyReluKind.Instance);
        Register(SoftmaxKind.Instance);
        Register(IdentityKind.Instance);
        Register(DropoutKind.Instance);
        Register(EluKind.Instance);
        Register(Conv2dKind.Instance);
        Register(MaxPool2dKind.Instance);
        Register(AvgPool2dKind.Instance);
        Register(FlattenKind.Instance);
        Register(BatchNorm1dKind.Instance);
        Register(BatchNorm2dKind.Instance);
    }

    /// <summary>Every registered kind, by name.</summary>
    public static IReadOnlyList<LayerKind> All => [.. Kinds.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>Adds <paramref name="kind"/>; registering the same object again does nothing.</summary>
    /// <exception cref="ArgumentException">Another kind already has that name.</exception>
    public static void Register(LayerKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var existing = Kinds.GetOrAdd(kind.Name, kind);
        if (!ReferenceEquals(existing, kind))
            throw new ArgumentException($"A layer kind named '{kind.Name}' is already registered ({existing.GetType().Name}).", nameof(kind));
    }

    /// <summary>The kind named <paramref name="name"/> (PyTorch's module name; case does not matter).</summary>
    /// <exception cref="ArgumentException">No such kind.</exception>
    public static LayerKind Get(string name) =>
        TryGet(name, out var kind) ? kind : throw new ArgumentException($"Unknown module '{name}'; expected one of: {string.Join(", ", All.Select(k => k.Name))}.");

    /// <summary>The kind named <paramref name="name"/>, if registered.</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LayerKind? kind) => Kinds.TryGetValue(name, out kind);
}
