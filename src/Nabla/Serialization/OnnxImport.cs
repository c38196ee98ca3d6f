using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Onnx;
using Nabla.Tensors;

namespace Nabla.Serialization;

/// <summary>
/// Turns an ONNX graph that is a chain of layers (PyTorch's <c>torch.onnx.export</c> of an <c>nn.Sequential</c>, a
/// Keras model converted to ONNX, or a file <see cref="OnnxExport"/> wrote) into a Nabla model. Each node goes to
/// the layer kind that lists its operator (<see cref="LayerKind.OnnxOperators"/>), which reads it
/// (<see cref="LayerKind.FromOnnx"/>). Leading <c>Sub</c> and <c>Div</c> by constants become the input scaling, a
/// leading <c>Reshape</c> of a row of features to <c>[C, H, W]</c> the input shape, and a final <c>Softmax</c> (or
/// <c>Sigmoid</c> for binary cross-entropy) the loss's own.
/// </summary>
public static class OnnxImport
{
    /// <summary>Reads the ONNX file at <paramref name="path"/> into a model.</summary>
    /// <exception cref="NablaInputException">The file is not a well-formed ONNX model, or a node has no Nabla form; the message names the first such node (operator, name, why).</exception>
    public static (Sequential<float> Model, Architecture Architecture) Load(string path, OnnxImportOptions? options = null) =>
        FromModel(OnnxModel.Read(path), options ?? new OnnxImportOptions(), path);

    /// <summary>The model of <paramref name="onnx"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="NablaInputException">A node has no Nabla form, or the options do not fit the graph; the message names the first such node.</exception>
    public static (Sequential<float> Model, Architecture Architecture) FromModel(OnnxModel onnx, OnnxImportOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(options);
        long opset = onnx.DefaultOpset ?? throw Error(source, "it imports no version of ONNX's operator set (opset_import)");
        var stored = StoredArchitecture(onnx, source);
        bool regression = options.Regression || (options.ClassNames is null && stored is { IsClassifier: false });
        string loss = options.Loss ?? stored?.Loss ?? (regression ? "mse" : "cross-entropy");
        var constants = Constants(onnx.Graph, source);
        var chain = onnx.Graph.Nodes.Select((node, index) => (Node: node, Index: index)).Where(n => !IsConstant(n.Node)).ToList();
        var (value, shape) = GraphInput(onnx.Graph, constants, source);

        int at = 0;
        double? pixels = ReadPixelScale(chain, ref at, ref value, shape, constants, stored?.PixelScale);
        var scaling = ReadScaling(chain, ref at, ref value, shape, constants, stored?.Scaling, source);
        var targetScaling = regression ? ReadTargetScaling(chain, constants, stored?.TargetScaling, source) : null;
        var input = ReadImageShape(chain, ref at, ref value, shape, constants) ?? shape;
        shape = input;
        string? lossOperator = regression ? null : loss switch
        {
            "cross-entropy" or "mse+cross-entropy" => "Softmax",
            "binary-cross-entropy" => "Sigmoid",
            _ => null,
        };
        var operators = Operators();
        var specs = new List<LayerSpec>();
        var tensors = new List<(string Node, IReadOnlyDictionary<string, float[]> Values)>();
        for (; at < chain.Count; at++)
        {
            var (node, index) = chain[at];
            string where = node.Describe(index);
            if (!ReadsOnly(node, value, constants))
                throw Error(source, $"{where} reads {Names(node.Inputs)}; Nabla imports a chain of layers, each node reading the previous one's output ('{value}') and constants");
            if (node.Domain is not ("" or "ai.onnx"))
                throw Error(source, $"{where} is an operator of the domain {ProtoReader.Shown(node.Domain)}; Nabla imports ONNX's own operators");
            if (at == chain.Count - 1 && node.OpType == lossOperator)
                break; // the loss applies it: the network outputs the logits
            if (!operators.TryGetValue(node.OpType, out var kind))
                throw Error(source, $"{where}: no Nabla layer takes the operator {ProtoReader.Shown(node.OpType)}; Nabla imports {string.Join(", ", operators.Keys.Order(StringComparer.Ordinal))}");
            OnnxLayerImport? layer = null;
            int position = at;
            layer = new OnnxLayerImport(node, shape, opset, constants, v => Next(chain, position + 1 + layer!.Taken, v, constants));
            try
            {
                // A kind may read an operator into a sibling kind's spec (BatchNormalization into BatchNorm1d or 2d by the input's rank).
                var read = kind.FromOnnx(layer);
                var (spec, output) = LayerKinds.Get(read.Kind).Resolve(read, shape);
                specs.Add(spec);
                tensors.Add((where, layer.Tensors));
                shape = output;
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                throw Error(source, $"{where}: {e.Message.TrimEnd('.')}", e);
            }
            at += layer.Taken;
            value = layer.OutputValue;
        }
        if (specs.Count == 0)
            throw Error(source, "its graph has no layers");

        var architecture = Build(source, input, specs, loss, regression, options.ClassNames ?? stored?.ClassNames, shape.Size, scaling, stored?.FeatureNames) with
        {
            PixelScale = pixels,
            TargetScaling = targetScaling,
        };
        architecture = WithStoredData(architecture, stored);
        return (Model(source, architecture, tensors), architecture);
    }

    private static Architecture Build(string source, SampleShape input, List<LayerSpec> specs, string loss, bool regression,
        IReadOnlyList<string>? classes, int outputs, Scaling? scaling, IReadOnlyList<string>? features)
    {
        if (!regression)
            classes ??= [.. Enumerable.Range(0, loss == "binary-cross-entropy" && outputs == 1 ? 2 : outputs).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        try
        {
            var architecture = Architecture.FromLayers(input, specs, loss, regression ? null : classes) with
            {
                Scaling = scaling,
                FeatureNames = features?.Count == input.Size ? features : null,
            };
            architecture.Validate();
            return architecture;
        }
        catch (ArgumentException e)
        {
            throw Error(source, e.Message.TrimEnd('.'), e);
        }
    }

    private static Sequential<float> Model(string source, Architecture architecture, List<(string Node, IReadOnlyDictionary<string, float[]> Values)> tensors)
    {
        var model = architecture.Build<float>(ConstantInitializer.Zeros, new Rng(0));
        var byName = model.NamedTensors.ToDictionary(t => t.Name, t => t.Tensor, StringComparer.Ordinal);
        foreach (var layer in architecture.Resolve())
        {
            var (node, values) = tensors[layer.Index];
            foreach (var spec in layer.Kind.Tensors(layer.Spec, layer.Input))
            {
                var destination = byName[$"{layer.Index}.{spec.Name}"];
                if (destination is Counter)
                    continue; // a count of training batches: none yet
                long length = spec.Shape.Aggregate(1L, (a, b) => a * b);
                if (!values.TryGetValue(spec.Name, out var given) || given.Length != length)
                    throw Error(source, $"{node}: its layer kind gave {(given is null ? "no" : given.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))} values for '{spec.Name}'; expected {length}");
                int bad = Array.FindIndex(given, v => !float.IsFinite(v));
                if (bad >= 0)
                    throw Error(source, $"{node}: '{spec.Name}' holds {given[bad]} at element {bad}; expected finite values");
                given.CopyTo(destination is Parameter<float> p ? p.Value.Span : ((Buffer<float>)destination).Values);
            }
        }
        return model;
    }

    /// <summary>Every operator some registered kind imports, with that kind (the first registered, by name order, when two claim one).</summary>
    private static Dictionary<string, LayerKind> Operators()
    {
        var operators = new Dictionary<string, LayerKind>(StringComparer.Ordinal);
        foreach (var kind in LayerKinds.All)
            foreach (var op in kind.OnnxOperators)
                operators.TryAdd(op, kind);
        return operators;
    }

    /// <summary>The one graph input that is not an initializer, and its per-sample shape (its dimensions after the batch).</summary>
    private static (string Name, SampleShape Shape) GraphInput(OnnxGraph graph, IReadOnlyDictionary<string, OnnxTensor> constants, string source)
    {
        var inputs = graph.Inputs.Where(i => !constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
            throw Error(source, $"its graph has {inputs.Count} inputs ({Names(inputs.Select(i => i.Name).ToList())}); a Nabla model takes one");
        var input = inputs[0];
        if (input.ElementType != OnnxDataType.Float)
            throw Error(source, $"its input {ProtoReader.Shown(input.Name)} holds {input.ElementType} values; expected FLOAT");
        if (input.Shape is not { Count: >= 2 } dims || dims.Skip(1).Any(d => d.Value is not (>= 1 and <= int.MaxValue)))
            throw Error(source, $"its input {ProtoReader.Shown(input.Name)} is shaped {input.ShapeText}; expected [batch, features] or [batch, C, H, W] with fixed sizes after the batch");
        try
        {
            return (input.Name, new SampleShape([.. dims.Skip(1).Select(d => (int)d.Value!.Value)]));
        }
        catch (ArgumentException e)
        {
            throw Error(source, $"its input {ProtoReader.Shown(input.Name)} is shaped {input.ShapeText}: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// Leading <c>Sub</c> and <c>Div</c> of the input by one constant per feature: the input scaling
    /// <c>(x − offset) / scale</c>. A Nabla-exported file's stored scaling is kept when the graph's float constants are
    /// its values rounded, so a model comes back with the very numbers it was exported with.
    /// </summary>
    private static Scaling? ReadScaling(List<(OnnxNode Node, int Index)> chain, ref int at, ref string value, SampleShape shape,
        IReadOnlyDictionary<string, OnnxTensor> constants, Scaling? stored, string source)
    {
        if (shape.Rank != 1 || chain.Count < at + 2 || chain[at].Node.OpType != "Sub" || chain[at + 1].Node.OpType != "Div"
            || chain[at].Node.Inputs is not [var x, var o] || x != value || chain[at + 1].Node.Inputs is not [var y, var s] || y != chain[at].Node.Outputs.FirstOrDefault()
            || PerFeature(constants, o, shape.Size) is not { } offset || PerFeature(constants, s, shape.Size) is not { } scale)
            return null;
        try
        {
            bool exported = stored is not null && stored.Offset.Select(v => (float)v).SequenceEqual(offset) && stored.Scale.Select(v => (float)v).SequenceEqual(scale);
            var scaling = exported ? stored! : new Scaling(stored?.Kind ?? ScalingKind.Standard, [.. offset.Select(v => (double)v)], [.. scale.Select(v => (double)v)]);
            value = chain[at + 1].Node.Outputs[0];
            at += 2;
            return scaling;
        }
        catch (ArgumentException e)
        {
            throw Error(source, $"{chain[at + 1].Node.Describe(chain[at + 1].Index)}: the input scaling: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// A leading <c>Div</c> of the input by one constant: an image model's pixel scale (raw pixels divided by 255). A
    /// Nabla-exported file's stored value is kept when the graph's constant is it rounded.
    /// </summary>
    private static double? ReadPixelScale(List<(OnnxNode Node, int Index)> chain, ref int at, ref string value, SampleShape shape,
        IReadOnlyDictionary<string, OnnxTensor> constants, double? stored)
    {
        if (shape.Rank != 1 || at >= chain.Count || chain[at].Node is not { OpType: "Div", Inputs: [var x, var c] } div || x != value
            || !constants.TryGetValue(c, out var constant) || constant.Floats is not [var divisor] || !(divisor > 0) || !float.IsFinite(divisor))
            return null;
        value = div.Outputs[0];
        at++;
        return stored is { } s && (float)s == divisor ? s : divisor;
    }

    /// <summary>
    /// A regression graph's trailing <c>Mul</c> and <c>Add</c> by one constant per output: the inverse of the target
    /// scaling the model was trained with, taken off the chain. A Nabla-exported file's stored scaling is kept when the
    /// graph's constants are its values rounded.
    /// </summary>
    private static Scaling? ReadTargetScaling(List<(OnnxNode Node, int Index)> chain, IReadOnlyDictionary<string, OnnxTensor> constants, Scaling? stored, string source)
    {
        if (chain.Count < 3 || chain[^2].Node is not { OpType: "Mul", Inputs: [_, var s] } mul || chain[^1].Node is not { OpType: "Add", Inputs: [var y, var o] }
            || y != mul.Outputs.FirstOrDefault() || !constants.TryGetValue(s, out var scaleTensor) || scaleTensor.Floats is not { Length: > 0 } scale
            || PerFeature(constants, o, scale.Length) is not { } offset || scaleTensor.Dims.Count == 0 || scaleTensor.Dims[^1] != scale.Length)
            return null;
        try
        {
            bool exported = stored is not null && stored.Offset.Select(v => (float)v).SequenceEqual(offset) && stored.Scale.Select(v => (float)v).SequenceEqual(scale);
            var scaling = exported ? stored! : new Scaling(ScalingKind.Standard, [.. offset.Select(v => (double)v)], [.. scale.Select(v => (double)v)]);
            chain.RemoveRange(chain.Count - 2, 2);
            return scaling;
        }
        catch (ArgumentException e)
        {
            throw Error(source, $"{chain[^1].Node.Describe(chain[^1].Index)}: the target scaling: {e.Message.TrimEnd('.')}", e);
        }
    }

    /// <summary>
    /// <paramref name="architecture"/> with a Nabla-exported file's record of its data (the target column's name, the text
    /// columns' categories, the rows held out), which the graph does not carry, when it still fits.
    /// </summary>
    private static Architecture WithStoredData(Architecture architecture, Architecture? stored)
    {
        return stored is null ? architecture : architecture with
        {
            Target = stored.Target,
            HeldOut = stored.HeldOut,
            Columns = stored.Columns?.Sum(c => c.Width) == architecture.Inputs ? stored.Columns : null,
        };
    }

    /// <summary>A leading <c>Reshape</c> of a row of features to <c>[batch, C, H, W]</c>: the network's input is an image read from a row.</summary>
    private static SampleShape? ReadImageShape(List<(OnnxNode Node, int Index)> chain, ref int at, ref string value, SampleShape shape,
        IReadOnlyDictionary<string, OnnxTensor> constants)
    {
        if (shape.Rank != 1 || at >= chain.Count || chain[at].Node is not { OpType: "Reshape", Inputs: [var x, var target] } reshape || x != value
            || !constants.TryGetValue(target, out var dims) || dims.Int64s is not [-1 or 0, .. var sample] || sample.Length < 2
            || sample.Any(d => d is < 1 or > int.MaxValue) || sample.Aggregate(1L, (a, b) => a > int.MaxValue ? a : a * b) != shape.Size)
            return null;
        value = reshape.Outputs[0];
        at++;
        return new SampleShape([.. sample.Select(d => (int)d)]);
    }

    private static float[]? PerFeature(IReadOnlyDictionary<string, OnnxTensor> constants, string name, int features) =>
        constants.TryGetValue(name, out var t) && t.Floats is { } f && f.Length == features && t.Dims.Count > 0 && t.Dims[^1] == features ? f : null;

    /// <summary>Initializers and the values of <c>Constant</c> nodes, by value name.</summary>
    private static Dictionary<string, OnnxTensor> Constants(OnnxGraph graph, string source)
    {
        var constants = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializers)
            constants[tensor.Name] = tensor;
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (!IsConstant(node))
                continue;
            if (node.Outputs.Count != 1 || node.Attribute("value") is not { Type: OnnxAttributeType.Tensor, Tensor: { } tensor })
                throw Error(source, $"{node.Describe(i)}: expected one output and a tensor attribute 'value' (Nabla reads no other form of Constant)");
            constants[node.Outputs[0]] = tensor;
        }
        return constants;
    }

    private static bool IsConstant(OnnxNode node) => node.OpType == "Constant" && node.Domain is "" or "ai.onnx";

    /// <summary>True when the only computed input of <paramref name="node"/> is <paramref name="value"/> (the others are constants or left out).</summary>
    private static bool ReadsOnly(OnnxNode node, string value, IReadOnlyDictionary<string, OnnxTensor> constants) =>
        node.Outputs.Count > 0 && node.Inputs.Contains(value) && node.Inputs.All(i => i == value || i.Length == 0 || constants.ContainsKey(i));

    private static OnnxNode? Next(List<(OnnxNode Node, int Index)> chain, int position, string value, IReadOnlyDictionary<string, OnnxTensor> constants) =>
        position < chain.Count && ReadsOnly(chain[position].Node, value, constants) ? chain[position].Node : null;

    /// <summary>The architecture a Nabla-exported file keeps in its metadata, or null for another producer's file.</summary>
    private static Architecture? StoredArchitecture(OnnxModel onnx, string source)
    {
        if (onnx.MetadataValue(Architecture.MetadataKey) is not { } json)
            return null;
        try
        {
            return Architecture.FromJson(json);
        }
        catch (ArgumentException e)
        {
            throw Error(source, $"metadata '{Architecture.MetadataKey}': {e.Message.TrimEnd('.')}", e);
        }
    }

    private static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(4).Select(n => ProtoReader.Shown(n))) + (names.Count > 4 ? $", … ({names.Count} in all)" : "");

    private static NablaInputException Error(string source, string what, Exception? inner = null) =>
        new($"{source}: cannot import this ONNX model: {what}.", source, inner);
}
