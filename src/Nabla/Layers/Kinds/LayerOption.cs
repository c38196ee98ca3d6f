namespace Nabla.Layers.Kinds;

/// <summary>
/// One argument of a layer kind, named as in PyTorch's module signature (<c>out_features</c>, <c>kernel_size</c>,
/// <c>negative_slope</c>).
/// </summary>
/// <param name="Name">PyTorch's argument name, also the key in the architecture JSON.</param>
/// <param name="Type">The value's type.</param>
/// <param name="Default">The value when the option is left out, or null when it must be given (or is inferred from the input shape).</param>
/// <param name="Aliases">Other keys accepted when reading JSON (names older model files used, such as <c>in</c> and <c>out</c>).</param>
public sealed record LayerOption(string Name, OptionType Type, OptionValue? Default = null, IReadOnlyList<string>? Aliases = null);
