namespace Nabla.Init;

/// <summary>Looks initializers up by the names the command line and model files use.</summary>
public static class Initializers
{
    /// <summary>Every named initializer.</summary>
    public static IReadOnlyList<IInitializer> All { get; } =
    [
        GaussianInitializer.XavierNormal, UniformInitializer.XavierUniform, UniformInitializer.XavierUniformBias, GaussianInitializer.HeNormal,
        GaussianInitializer.LecunNormal, ConstantInitializer.Zeros,
    ];

    /// <summary>The initializer called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No initializer has that name; the message lists those that do.</exception>
    public static IInitializer ByName(string name) =>
        All.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown initializer '{name}'; expected one of: {string.Join(", ", All.Select(i => i.Name))}.", nameof(name));
}
