using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Diagnostics;
using Nabla.Layers.Kinds;
using Nabla.Tensors;

namespace Nabla.Cli;

/// <summary>
/// A <see cref="TraceResult"/> as <c>nabla trace</c> prints it, in the order of the seeds' hand calculations (each
/// layer's z and a, the loss, each delta, each gradient, the parameters after one step), or as JSON. Shared by
/// <c>nabla trace</c> and <c>nabla example worked-example</c>.
/// </summary>
internal static class TraceText
{
    /// <summary>Tensors of more numbers than this are summarised when the text is given shapes.</summary>
    public const int MaxListed = 24;

    /// <summary>
    /// The trace as text; <paramref name="network"/> and <paramref name="loss"/> name what was traced. Given
    /// <paramref name="shapes"/> (the input's, then each layer's output shape), a tensor of more than <see cref="MaxListed"/>
    /// numbers is summarised (its shape, min, max, mean, standard deviation and first numbers); without, every number is printed.
    /// </summary>
    public static void Write(TextWriter o, TraceResult trace, string network, string loss, IReadOnlyList<SampleShape>? shapes = null)
    {
        var names = OutputNames(trace.Layers);
        string Values(ReadOnlySpan<double> values, int shape) => shapes is null ? Vector(values) : Summary(values, shapes[shape].Dims.Select(d => (long)d).ToList());
        string Shaped(ReadOnlySpan<double> values, IReadOnlyList<long> shape) => shapes is null ? Tensor(values, shape) : Summary(values, shape);
        o.WriteLine($"Trace of {network} with loss {loss}, in float64");
        o.WriteLine();
        o.WriteLine("Forward");
        o.WriteLine($"  a0 (input) = {Values(trace.Input.Span, 0)}");
        foreach (var layer in trace.Layers)
        {
            string input = layer.Index == 0 ? "a0" : names[layer.Index - 1];
            string formula = layer.Kind.Role == LayerRole.Affine ? $"{layer.Index}.weight · {input} + {layer.Index}.bias" : $"{layer.Kind}({input})";
            o.WriteLine($"  {names[layer.Index]} = {formula} = {Values(layer.Output.Span, layer.Index + 1)}   (layer {layer.Index}, {layer.Kind})");
        }
        o.WriteLine($"  L = {loss}({names[^1]}, y = {Vector(trace.Target.Span)}) = {N(trace.Loss)}");
        o.WriteLine();
        o.WriteLine("Backward");
        for (int i = trace.Layers.Count - 1; i >= 0; i--)
        {
            var layer = trace.Layers[i];
            o.WriteLine($"  dL/d{names[i]} = {Values(layer.OutputGradient.Span, i + 1)}");
            foreach (var p in layer.Parameters)
                o.WriteLine($"    dL/d{p.Name} = {Shaped(p.Gradient.Span, p.FileShape)}");
        }
        o.WriteLine($"  dL/da0 = {Values(trace.Layers[0].InputGradient.Span, 0)}");
        o.WriteLine();
        o.WriteLine($"After one step θ ← θ − α·dL/dθ, α = {N(trace.LearningRate)}");
        foreach (var p in trace.Layers.SelectMany(l => l.Parameters))
            o.WriteLine($"  {p.Name} = {Shaped(p.Updated.Span, p.FileShape)}   (was {Shaped(p.Value.Span, p.FileShape)})");
    }

    /// <summary>
    /// The trace as indented JSON, every number; parameters are keyed by their model-file names, in their file shapes. Given
    /// <paramref name="shapes"/> (the input's, then each layer's output shape), the input and each layer say their shape.
    /// </summary>
    public static string Json(TraceResult trace, string source, string loss, IReadOnlyList<SampleShape>? shapes = null)
    {
        var names = OutputNames(trace.Layers);
        JsonNode? Shape(int i) => shapes is null ? null : new JsonArray([.. shapes[i].Dims.Select(d => (JsonNode?)d)]);
        var root = new JsonObject
        {
            ["model"] = source,
            ["loss_name"] = loss,
            ["input"] = Array(trace.Input.Span, [trace.Input.Length]),
            ["target"] = Array(trace.Target.Span, [trace.Target.Length]),
            ["layers"] = new JsonArray([.. trace.Layers.Select(l => (JsonNode?)new JsonObject
            {
                ["index"] = l.Index,
                ["kind"] = l.Kind.Name,
                ["name"] = names[l.Index],
                ["output"] = Array(l.Output.Span, [l.Output.Length]),
                ["output_gradient"] = Array(l.OutputGradient.Span, [l.OutputGradient.Length]),
            })]),
            ["loss"] = trace.Loss,
            ["loss_gradient"] = Array(trace.LossGradient.Span, [trace.LossGradient.Length]),
            ["input_gradient"] = Array(trace.Layers[0].InputGradient.Span, [trace.Layers[0].InputGradient.Length]),
            ["learning_rate"] = trace.LearningRate,
        };
        if (shapes is not null)
        {
            root["input_shape"] = Shape(0);
            foreach (var layer in root["layers"]!.AsArray())
                layer!["shape"] = Shape((int)layer["index"]! + 1);
        }
        var parameters = trace.Layers.SelectMany(l => l.Parameters).ToList();
        root["gradients"] = Keyed(parameters, p => p.Gradient.Span.ToArray());
        root["parameters"] = Keyed(parameters, p => p.Value.Span.ToArray());
        root["updated"] = Keyed(parameters, p => p.Updated.Span.ToArray());
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Names each layer's output the way the seeds do: zᵏ for the k-th affine layer (linear, convolution), aᵏ for what follows it.</summary>
    private static string[] OutputNames(IReadOnlyList<LayerTrace> layers)
    {
        var names = new string[layers.Count];
        int k = 0;
        for (int i = 0; i < layers.Count; i++)
            names[i] = layers[i].Kind.Role == LayerRole.Affine ? $"z{++k}" : $"a{k}";
        return names;
    }

    private static JsonObject Keyed(List<ParameterTrace> parameters, Func<ParameterTrace, double[]> select)
    {
        var result = new JsonObject();
        foreach (var p in parameters)
            result[p.Name] = Array(select(p), p.FileShape);
        return result;
    }

    /// <summary>Nested JSON arrays of <paramref name="values"/> (row-major) in <paramref name="shape"/>.</summary>
    private static JsonArray Array(ReadOnlySpan<double> values, IReadOnlyList<long> shape)
    {
        var array = new JsonArray();
        if (shape.Count <= 1)
        {
            foreach (var v in values)
                array.Add(v);
            return array;
        }
        int inner = values.Length / (int)shape[0];
        for (int i = 0; i < shape[0]; i++)
            array.Add(Array(values.Slice(i * inner, inner), [.. shape.Skip(1)]));
        return array;
    }

    /// <summary>Nested brackets of <paramref name="values"/> (row-major) in <paramref name="shape"/>: <c>[[1, 2], [3, 4]]</c>.</summary>
    private static string Tensor(ReadOnlySpan<double> values, IReadOnlyList<long> shape)
    {
        if (shape.Count <= 1)
            return Vector(values);
        int inner = values.Length / (int)shape[0];
        var parts = new string[shape[0]];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = Tensor(values.Slice(i * inner, inner), [.. shape.Skip(1)]);
        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Every number of a small tensor; for a larger one its shape, extremes, mean, standard deviation and first numbers.</summary>
    private static string Summary(ReadOnlySpan<double> values, IReadOnlyList<long> shape)
    {
        if (values.Length <= MaxListed)
            return Tensor(values, shape);
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, squares = 0;
        foreach (double v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
            sum += v;
        }
        double mean = sum / values.Length;
        foreach (double v in values)
            squares += (v - mean) * (v - mean);
        string dims = string.Join("×", shape);
        return string.Create(CultureInfo.InvariantCulture,
            $"{dims} ({values.Length:N0} numbers): min {N(min)}, max {N(max)}, mean {N(mean)}, std {N(Math.Sqrt(squares / values.Length))}; first {Vector(values[..6])[..^1]}, …]");
    }

    private static string Vector(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
            parts[i] = N(values[i]);
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string N(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
