using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Diagnostics;
using Nabla.Layers.Kinds;

namespace Nabla.Cli;

/// <summary>
/// A <see cref="TraceResult"/> as <c>nabla trace</c> prints it, in the order of the seeds' hand calculations (each
/// layer's z and a, the loss, each delta, each gradient, the parameters after one step), or as JSON. Shared by
/// <c>nabla trace</c> and <c>nabla example worked-example</c>.
/// </summary>
internal static class TraceText
{
    /// <summary>The trace as text; <paramref name="network"/> and <paramref name="loss"/> name what was traced.</summary>
    public static void Write(TextWriter o, TraceResult trace, string network, string loss)
    {
        var names = OutputNames(trace.Layers);
        o.WriteLine($"Trace of {network} with loss {loss}, in float64");
        o.WriteLine();
        o.WriteLine("Forward");
        o.WriteLine($"  a0 (input) = {Vector(trace.Input.Span)}");
        foreach (var layer in trace.Layers)
        {
            string input = layer.Index == 0 ? "a0" : names[layer.Index - 1];
            string formula = layer.Kind.Role == LayerRole.Affine ? $"{layer.Index}.weight · {input} + {layer.Index}.bias" : $"{layer.Kind}({input})";
            o.WriteLine($"  {names[layer.Index]} = {formula} = {Vector(layer.Output.Span)}   (layer {layer.Index}, {layer.Kind})");
        }
        o.WriteLine($"  L = {loss}({names[^1]}, y = {Vector(trace.Target.Span)}) = {N(trace.Loss)}");
        o.WriteLine();
        o.WriteLine("Backward");
        for (int i = trace.Layers.Count - 1; i >= 0; i--)
        {
            var layer = trace.Layers[i];
            o.WriteLine($"  dL/d{names[i]} = {Vector(layer.OutputGradient.Span)}");
            foreach (var p in layer.Parameters)
                o.WriteLine($"    dL/d{p.Name} = {Tensor(p.Gradient.Span, p.FileShape)}");
        }
        o.WriteLine($"  dL/da0 = {Vector(trace.Layers[0].InputGradient.Span)}");
        o.WriteLine();
        o.WriteLine($"After one step θ ← θ − α·dL/dθ, α = {N(trace.LearningRate)}");
        foreach (var p in trace.Layers.SelectMany(l => l.Parameters))
            o.WriteLine($"  {p.Name} = {Tensor(p.Updated.Span, p.FileShape)}   (was {Tensor(p.Value.Span, p.FileShape)})");
    }

    /// <summary>The trace as indented JSON; parameters are keyed by their model-file names, in their file shapes.</summary>
    public static string Json(TraceResult trace, string source, string loss)
    {
        var names = OutputNames(trace.Layers);
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

    private static string Vector(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
            parts[i] = N(values[i]);
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string N(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
