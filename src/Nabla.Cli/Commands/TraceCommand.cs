using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Diagnostics;
using Nabla.Layers;
using Nabla.Layers.Activations;
using Nabla.Layers.Kinds;
using Nabla.Losses;
using Nabla.Models;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla trace</c>: one sample's forward and backward pass in float64, number by number, in the order
/// of the seeds' hand calculations: each layer's z and a, the loss, each delta, each gradient, and the
/// parameters after one gradient step.
/// </summary>
internal static class TraceCommand
{
    /// <summary>The built-in example's name.</summary>
    public const string WorkedExample = "worked-example";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var example = new Option<string?>("--example")
        {
            Description = "A built-in example: worked-example is seed 003's x = [1, 2], y = 8, three sigmoid hidden units, a linear output, L = (ŷ − y)².",
        }.AcceptOnlyFromAmong(WorkedExample);
        var model = new Option<string?>("--model") { Description = "A model file written by 'nabla train'.", HelpName = "FILE" };
        var input = new Option<string?>("--input")
        {
            Description = "One sample's raw features, comma-separated (scaled the way the model was trained).",
            HelpName = "X1,X2,...",
        };
        var target = new Option<string?>("--target")
        {
            Description = "The sample's target: numbers for regression, a class name or index for a classifier.",
            HelpName = "Y",
        };
        var rate = new Option<double>("--learning-rate", "--learning_rate", "--lr")
        {
            Description = "α of the one gradient-descent step shown at the end.",
            DefaultValueFactory = _ => 0.1,
            HelpName = "ALPHA",
        }.Positive();
        var json = new Option<bool>("--json") { Description = "Print the trace as JSON: the input, every layer's output, the loss, and the gradients keyed by the model file's tensor names." };
        var command = new Command("trace",
            "Trace one sample through a network, forward and backward, in float64.\n\n" +
            "Examples:\n  nabla trace --example worked-example\n  nabla trace --model runs/default/model.safetensors --input 1.2,0.8 --target 0 --json");
        command.Add(example);
        command.Add(model);
        command.Add(input);
        command.Add(target);
        command.Add(rate);
        command.Add(json);
        command.SetAction(parse =>
        {
            string? exampleName = parse.GetValue(example);
            string? modelPath = parse.GetValue(model);
            if ((exampleName is null) == (modelPath is null))
                throw new UsageException("Expected exactly one of --example worked-example or --model FILE.");
            var (network, architecture, source) = exampleName is not null
                ? (WorkedExampleNetwork(), WorkedExampleArchitecture(), WorkedExample)
                : Load(modelPath!);
            string? inputText = parse.GetValue(input) ?? (exampleName is not null ? "1,2" : null);
            string? targetText = parse.GetValue(target) ?? (exampleName is not null ? "8" : null);
            if (inputText is null || targetText is null)
                throw new UsageException("--model needs --input (the sample's features, such as 1,2) and --target (its class or value).");

            var raw = Matrix<double>.FromRows(Values.ParseNumbers(inputText, "--input"));
            var x = ModelInputs.Features(raw, architecture, "--input");
            var y = Target(targetText, architecture);
            var trace = Trace.Run(network, architecture.CreateLoss<double>(), x, y, parse.GetValue(rate));
            if (parse.GetValue(json))
                context.Out.WriteLine(ToJson(trace, architecture, source));
            else
                Print(context.Out, trace, network, architecture);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Seed 003's network: hidden rows [bias, w₁, w₂] = [0.01, 0.02, 0.03], [0.03, 0.01, 0.02], [0.02, 0.03, 0.01]; V = [v₀, v₁, v₂, v₃] = [0.01, 0.02, 0.03, 0.04].</summary>
    internal static Sequential<double> WorkedExampleNetwork() => new(
        new Linear<double>(Matrix<double>.FromRows([0.02, 0.03], [0.01, 0.02], [0.03, 0.01]), [0.01, 0.03, 0.02]),
        new Sigmoid<double>(),
        new Linear<double>(Matrix<double>.FromRows([0.02, 0.03, 0.04]), [0.01]));

    private static Architecture WorkedExampleArchitecture() => new()
    {
        InputShape = SampleShape.Features(2),
        Layers = [LayerSpec.Linear(2, 3), LayerSpec.Activation("sigmoid"), LayerSpec.Linear(3, 1)],
        Loss = "mse",
    };

    private static (Sequential<double>, Architecture, string) Load(string path)
    {
        var (network, architecture) = ModelFile.Load<double>(path);
        return (network, architecture, path);
    }

    private static Matrix<double> Target(string text, Architecture architecture)
    {
        var y = new Matrix<double>(1, architecture.Outputs);
        if (architecture.ClassNames is { } classes)
        {
            int index = classes.ToList().IndexOf(text.Trim());
            if (index < 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < classes.Count)
                index = i;
            if (index < 0)
                throw new UsageException($"--target '{text}' is not a class of the model; expected one of {string.Join(", ", classes)} or an index in [0, {classes.Count}).");
            y[0, index] = 1;
            return y;
        }
        var values = Values.ParseNumbers(text, "--target");
        if (values.Length != architecture.Outputs)
            throw new UsageException($"--target has {values.Length} values; the model has {architecture.Outputs} outputs.");
        values.CopyTo(y.Span);
        return y;
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

    private static void Print(TextWriter o, TraceResult trace, Sequential<double> network, Architecture architecture)
    {
        var names = OutputNames(trace.Layers);
        o.WriteLine($"Trace of {network} with loss {architecture.Loss}, in float64");
        o.WriteLine();
        o.WriteLine("Forward");
        o.WriteLine($"  a0 (input) = {Vector(trace.Input.Span)}");
        foreach (var layer in trace.Layers)
        {
            string formula = layer.Kind.Role == LayerRole.Affine
                ? $"{layer.Index}.weight · {(layer.Index == 0 ? "a0" : names[layer.Index - 1])} + {layer.Index}.bias"
                : $"{layer.Kind}({(layer.Index == 0 ? "a0" : names[layer.Index - 1])})";
            o.WriteLine($"  {names[layer.Index]} = {formula} = {Vector(layer.Output.Span)}   (layer {layer.Index}, {layer.Kind})");
        }
        o.WriteLine($"  L = {architecture.Loss}({names[^1]}, y = {Vector(trace.Target.Span)}) = {N(trace.Loss)}");
        o.WriteLine();
        o.WriteLine("Backward");
        for (int i = trace.Layers.Count - 1; i >= 0; i--)
        {
            var layer = trace.Layers[i];
            o.WriteLine($"  dL/d{names[i]} = {Vector(layer.OutputGradient.Span)}");
            foreach (var p in layer.Parameters)
                o.WriteLine($"    dL/d{p.Name} = {Tensor(p.Gradient, p.FileShape)}");
        }
        o.WriteLine($"  dL/da0 = {Vector(trace.Layers[0].InputGradient.Span)}");
        o.WriteLine();
        o.WriteLine($"After one step θ ← θ − α·dL/dθ, α = {N(trace.LearningRate)}");
        foreach (var p in trace.Layers.SelectMany(l => l.Parameters))
            o.WriteLine($"  {p.Name} = {Tensor(p.Updated, p.FileShape)}   (was {Tensor(p.Value, p.FileShape)})");
    }

    private static string ToJson(TraceResult trace, Architecture architecture, string source)
    {
        var names = OutputNames(trace.Layers);
        var root = new JsonObject
        {
            ["model"] = source,
            ["loss_name"] = architecture.Loss,
            ["input"] = Array(trace.Input.Span),
            ["target"] = Array(trace.Target.Span),
            ["layers"] = new JsonArray([.. trace.Layers.Select(l => (JsonNode?)new JsonObject
            {
                ["index"] = l.Index,
                ["kind"] = l.Kind.Name,
                ["name"] = names[l.Index],
                ["output"] = Array(l.Output.Span),
                ["output_gradient"] = Array(l.OutputGradient.Span),
            })]),
            ["loss"] = trace.Loss,
            ["loss_gradient"] = Array(trace.LossGradient.Span),
            ["input_gradient"] = Array(trace.Layers[0].InputGradient.Span),
            ["learning_rate"] = trace.LearningRate,
        };
        var parameters = trace.Layers.SelectMany(l => l.Parameters).ToList();
        root["gradients"] = Keyed(parameters, p => p.Gradient);
        root["parameters"] = Keyed(parameters, p => p.Value);
        root["updated"] = Keyed(parameters, p => p.Updated);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Tensors keyed by their model-file name, in the model file's layout: weights [out, in], biases [out].</summary>
    private static JsonObject Keyed(List<ParameterTrace> parameters, Func<ParameterTrace, Matrix<double>> select)
    {
        var result = new JsonObject();
        foreach (var p in parameters)
        {
            var m = select(p);
            result[p.Name] = p.FileShape.Count == 1
                ? Array(m.Span)
                : new JsonArray([.. Enumerable.Range(0, m.Rows).Select(r => (JsonNode?)Array(m.Row(r)))]);
        }
        return result;
    }

    private static JsonArray Array(ReadOnlySpan<double> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
            array.Add(v);
        return array;
    }

    private static string Tensor(Matrix<double> m, IReadOnlyList<long> fileShape) =>
        fileShape.Count == 1
            ? Vector(m.Span)
            : "[" + string.Join(", ", Enumerable.Range(0, m.Rows).Select(r => Vector(m.Row(r)))) + "]";

    private static string Vector(ReadOnlySpan<double> values)
    {
        var parts = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
            parts[i] = N(values[i]);
        return "[" + string.Join(", ", parts) + "]";
    }

    private static string N(double v) => v.ToString("G10", CultureInfo.InvariantCulture);
}
