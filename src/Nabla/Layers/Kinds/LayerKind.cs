using System.Numerics;
using Nabla.Init;
using Nabla.Tensors;

namespace Nabla.Layers.Kinds;

/// <summary>
/// Everything Nabla knows about one kind of layer, in one place: its PyTorch module name, its options and their
/// validation, the per-sample shape it maps, how to build it, the tensors it carries with their file shapes, and
/// how reports and traces name it. <see cref="LayerKinds"/> maps names to kinds; the architecture, model file,
/// predictor, report, trace and gradient check ask the kind and never switch on its name.
/// </summary>
/// <remarks>
/// A new kind is a subclass (usually in the file of its layer), one <see cref="LayerKinds.Register"/> call, and
/// its tests. Errors from <see cref="Resolve"/> are <see cref="ArgumentException"/>s that name the module and the
/// shape it received.
/// </remarks>
public abstract class LayerKind
{
    /// <summary>The PyTorch module name (<c>Linear</c>, <c>Conv2d</c>, <c>ReLU</c>): the name in <c>--network</c>, in model files and in traces.</summary>
    public abstract string Name { get; }

    /// <summary>The options, in the order of PyTorch's full constructor signature.</summary>
    public virtual IReadOnlyList<LayerOption> Options => [];

    /// <summary>
    /// How many leading <see cref="Options"/> the input shape fills in (<c>in_features</c>, <c>in_channels</c>,
    /// <c>num_features</c>): PyTorch's lazy module (<c>LazyLinear(out_features)</c>) takes the rest. A spelling
    /// with more positional arguments than the lazy signature's required ones is the full signature.
    /// </summary>
    public virtual int InferredOptions => 0;

    /// <summary>What the layer does, as traces name its output (<c>z</c> or <c>a</c>).</summary>
    public virtual LayerRole Role => LayerRole.Other;

    /// <summary>
    /// True when the kind takes only a row of features (<c>Linear</c>): a network that starts with it reads an image
    /// sample as its row of C·H·W values, as a multilayer perceptron on pixels does.
    /// </summary>
    public virtual bool TakesRows => false;

    /// <summary>Which health measure applies to the layer's output.</summary>
    public virtual ActivationHealth Health => ActivationHealth.None;

    /// <summary>The option named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The kind has no such option.</exception>
    public LayerOption Option(string name) =>
        Options.FirstOrDefault(o => o.Name == name) ?? throw new ArgumentException($"{Name} has no option '{name}'.", nameof(name));

    /// <summary>
    /// Checks <paramref name="spec"/> against the input shape <paramref name="input"/>, fills in what the shape
    /// implies (input sizes), and returns the complete spec and the output shape.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown or ill-typed option, a value out of range, or an input shape the layer cannot take; the message names the module and the shape.</exception>
    public (LayerSpec Spec, SampleShape Output) Resolve(LayerSpec spec, SampleShape input)
    {
        if (spec.Kind != Name)
            throw new ArgumentException($"Expected a {Name} spec; received {spec.Kind}.", nameof(spec));
        return ResolveShape(Normalize(spec), input);
    }

    /// <summary>
    /// The spec of a module call as PyTorch spells it, <c>Conv2d(32, 3, padding=1)</c>: positional arguments fill
    /// the lazy signature (the options after the <see cref="InferredOptions"/>) unless there are more of them than
    /// its required options not given by keyword, in which case they fill the full signature (<c>Conv2d(1, 32, 3)</c>,
    /// <c>Conv2d(1, 32, kernel_size=3)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Too many positional arguments, an option given twice, or an unknown or ill-typed option.</exception>
    public LayerSpec Spell(IReadOnlyList<OptionValue> positional, IReadOnlyList<KeyValuePair<string, OptionValue>> keywords)
    {
        // Required options given by keyword take no position: Conv2d(32, 64, kernel_size=5) is the full signature.
        int lazyRequired = Options.Skip(InferredOptions).Count(o => o.Default is null && !keywords.Any(k => k.Key == o.Name || (o.Aliases?.Contains(k.Key) ?? false)));
        int first = positional.Count > lazyRequired ? 0 : InferredOptions;
        if (first + positional.Count > Options.Count)
            throw new ArgumentException(
                $"{Name} takes at most {Options.Count} arguments ({string.Join(", ", Options.Select(o => o.Name))}); received {positional.Count}.");
        var options = positional.Select((value, i) => new KeyValuePair<string, OptionValue>(Options[first + i].Name, value)).ToList();
        foreach (var keyword in keywords)
        {
            if (options.Any(o => o.Key == keyword.Key))
                throw new ArgumentException($"{Name}: {keyword.Key} is given twice (by position and by name).");
            options.Add(keyword);
        }
        return Normalize(new LayerSpec(Name, options));
    }

    /// <summary>Builds the layer of a spec returned by <see cref="Resolve"/>, drawing weights with <paramref name="initializer"/> from <paramref name="rng"/>.</summary>
    public abstract ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The tensors a layer of a resolved spec carries, in PyTorch's <c>state_dict</c> order (parameters, then buffers).</summary>
    public virtual IReadOnlyList<TensorSpec> Tensors(LayerSpec spec, SampleShape input) => [];

    /// <summary>
    /// How the layer reads in a one-line description of a network (<c>"784 → 256 ReLU → 10"</c>): the text, and
    /// whether it starts a new stage (after an arrow) or qualifies the previous one. Empty text adds nothing.
    /// </summary>
    public virtual (string Text, bool NewStage) Describe(LayerSpec spec, SampleShape output) => ($"{spec} {output}", true);

    /// <summary>
    /// Writes the layer's evaluation-mode computation (dropout off, batch norm on its running statistics) into an
    /// ONNX graph through <paramref name="layer"/>, and returns the name of the value it produces, shaped
    /// <c>[batch, ..Output]</c>; a layer that is the identity at inference returns <see cref="OnnxLayerExport.InputValue"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The kind has no ONNX form (the default): a network with it cannot be exported.</exception>
    public virtual string ToOnnx(OnnxLayerExport layer) =>
        throw new NotSupportedException($"{Name} has no ONNX form (its layer kind does not implement LayerKind.ToOnnx), so a network with it cannot be exported to ONNX.");

    /// <summary>The ONNX operators (<see cref="FromOnnx"/>) this kind imports: <c>Gemm</c> and <c>MatMul</c> for <c>Linear</c>, <c>Relu</c> for <c>ReLU</c>.</summary>
    public virtual IReadOnlyList<string> OnnxOperators => [];

    /// <summary>
    /// The layer an ONNX node of one of <see cref="OnnxOperators"/> becomes: returns its spec (input sizes may be left
    /// to the shape, as in a lazy spec; the spec may be of a sibling kind, as <c>BatchNormalization</c> is
    /// <c>BatchNorm1d</c> or <c>BatchNorm2d</c> by the input's rank) and gives its tensors' values with
    /// <see cref="OnnxLayerImport.SetTensor"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The node has no Nabla form (an attribute or constant Nabla's layer lacks); the message says why, without naming the node (the caller does).</exception>
    /// <exception cref="NotSupportedException">The kind imports no ONNX operator (the default).</exception>
    public virtual LayerSpec FromOnnx(OnnxLayerImport layer) =>
        throw new NotSupportedException($"{Name} imports no ONNX operator (its layer kind does not implement LayerKind.FromOnnx).");

    /// <summary>The module name.</summary>
    public override string ToString() => Name;

    /// <summary>Validates the shape and fills in inferred options; <paramref name="spec"/> has known, well-typed options.</summary>
    protected abstract (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input);

    /// <summary>Throws unless <paramref name="input"/> is a row of features (rank 1).</summary>
    protected void RequireFeatures(LayerSpec spec, SampleShape input)
    {
        if (input.Rank != 1)
            throw new ArgumentException($"{spec} takes a row of features; received a {input} input. Put Flatten before it.");
    }

    /// <summary>Throws unless <paramref name="input"/> is an image (C×H×W).</summary>
    protected void RequireImage(LayerSpec spec, SampleShape input)
    {
        if (!input.IsImage)
            throw new ArgumentException($"{spec} takes images (C×H×W); received a {input} input. Give the data's image shape (IDX images carry theirs; a CSV needs --input-shape C,H,W).");
    }

    /// <summary>The spec with its given options in <see cref="Options"/> order, so the architecture JSON lists them as PyTorch's signature does.</summary>
    protected LayerSpec InOrder(LayerSpec spec) =>
        new(Name, Options.Where(o => spec.Given(o.Name) is not null).Select(o => new KeyValuePair<string, OptionValue>(o.Name, spec.Given(o.Name)!.Value)));

    /// <summary>Throws unless the whole-number (or pair) option <paramref name="name"/> of <paramref name="spec"/> is at least <paramref name="min"/>.</summary>
    protected static void RequireAtLeast(LayerSpec spec, string name, int min)
    {
        var (h, w) = spec.Value(name).Pair ?? (spec.Int(name), spec.Int(name));
        if (h < min || w < min)
            throw new ArgumentException($"{spec}: expected {name} of at least {min}; received {name}={spec.Value(name)}.");
    }

    /// <summary>Throws unless option <paramref name="name"/> of <paramref name="spec"/> lies in [<paramref name="min"/>, <paramref name="max"/>] (or [min, max) when <paramref name="maxExclusive"/>).</summary>
    protected static void RequireRange(LayerSpec spec, string name, double min, double max, bool maxExclusive = false)
    {
        double v = spec.Real(name);
        if (!(v >= min && (maxExclusive ? v < max : v <= max)))
            throw new ArgumentException($"{spec}: expected {name} in [{min}, {max}{(maxExclusive ? ")" : "]")}; received {name}={v}.");
    }

    /// <summary>
    /// The spec with aliases replaced by option names, after checking that every option is known and has the right
    /// type (whole numbers for <see cref="OptionType.Int"/>, positive ones where PyTorch needs them is each kind's check).
    /// </summary>
    private LayerSpec Normalize(LayerSpec spec)
    {
        var options = new List<KeyValuePair<string, OptionValue>>();
        foreach (var (key, value) in spec.Options)
        {
            var option = Options.FirstOrDefault(o => o.Name == key || (o.Aliases?.Contains(key) ?? false))
                ?? throw new ArgumentException(Options.Count == 0
                    ? $"{Name} takes no options; received {key}={value}."
                    : $"{Name} has no option '{key}'; expected one of: {string.Join(", ", Options.Select(o => o.Name))}.");
            if (!Fits(option.Type, value))
                throw new ArgumentException($"{Name}: expected {option.Name} to be {Describe(option.Type)}; received {value}.");
            options.Add(new(option.Name, value));
        }
        return new LayerSpec(Name, options);
    }

    private static bool Fits(OptionType type, OptionValue value) => type switch
    {
        OptionType.Int => value.Number is { } n && IsWhole(n),
        OptionType.Real => value.Number is { } n && double.IsFinite(n),
        OptionType.Bool => value.Flag is not null,
        _ => value.Number is { } n ? IsWhole(n) : value.Pair is not null,
    };

    private static bool IsWhole(double n) => n == Math.Floor(n) && Math.Abs(n) <= int.MaxValue;

    private static string Describe(OptionType type) => type switch
    {
        OptionType.Int => "a whole number",
        OptionType.Real => "a finite number",
        OptionType.Bool => "True or False",
        _ => "a whole number or a pair (h, w)",
    };
}
