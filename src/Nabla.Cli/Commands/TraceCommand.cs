using System.CommandLine;
using System.Globalization;
using Nabla.Diagnostics;
using Nabla.Layers;
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
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var example = new Option<string?>("--example")
        {
            Description = "A built-in example: worked-example is seed 003's x = [1, 2], y = 8, three sigmoid hidden units, a linear output, L = (ŷ − y)².",
        }.AcceptOnlyFromAmong(WorkedExample.Name);
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
        var samples = new SampleSource();
        var sample = new Option<int>("--sample")
        {
            Description = "With --data: which sample to trace, counted from 0 in the split (its label is the target).",
            HelpName = "N",
            CustomParser = r => Values.Number<int>(r, v => v >= 0, "a sample index of 0 or more"),
        };
        var all = new Option<bool>("--all-numbers") { Description = "Print every number of every tensor; by default a tensor of more than 24 numbers is summarised (shape, min, max, mean, std and its first numbers)." };
        var json = new Option<bool>("--json") { Description = "Print the trace as JSON: the input, every layer's output, the loss, and the gradients keyed by the model file's tensor names." };
        var command = new Command("trace",
            "Trace one sample through a network, forward and backward, in float64.\n\n" +
            "Examples:\n  nabla trace --example worked-example\n  nabla trace --model runs/default/model.safetensors --input 1.2,0.8 --target 0 --json\n" +
            "  nabla trace --model runs/cnn/model.safetensors --data fashion-mnist --sample 3");
        command.Add(example);
        command.Add(model);
        command.Add(input);
        command.Add(target);
        samples.AddTo(command);
        command.Add(sample);
        command.Add(rate);
        command.Add(all);
        command.Add(json);
        command.SetAction(parse =>
        {
            string? exampleName = parse.GetValue(example);
            string? modelPath = parse.GetValue(model);
            if ((exampleName is null) == (modelPath is null))
                throw new UsageException("Expected exactly one of --example worked-example or --model FILE.");
            var (network, architecture, source) = exampleName is not null
                ? (WorkedExample.Network(), WorkedExample.Architecture, WorkedExample.Name)
                : Load(modelPath!);
            if (parse.GetValue(samples.Data) is not null && (modelPath is null || parse.GetValue(input) is not null || parse.GetValue(target) is not null))
                throw new UsageException("--data takes the sample from a dataset for --model: give it instead of --input and --target, and not with --example.");
            var (x, y) = parse.GetValue(samples.Data) is not null
                ? FromData(parse, samples, parse.GetValue(sample), architecture)
                : FromText(parse.GetValue(input) ?? (exampleName is not null ? "1,2" : null), parse.GetValue(target) ?? (exampleName is not null ? "8" : null), architecture);
            var trace = Trace.Run(network, architecture.CreateLoss<double>(), x, y, parse.GetValue(rate));
            var shapes = architecture.Resolve().Select(l => l.Output).Prepend(architecture.Input).ToList();
            if (parse.GetValue(json))
                context.Out.WriteLine(TraceText.Json(trace, source, architecture.Loss, shapes));
            else
                TraceText.Write(context.Out, trace, network.ToString(), architecture.Loss, parse.GetValue(all) ? null : shapes);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One sample and its target as <c>--input</c> and <c>--target</c> give them.</summary>
    private static (Matrix<double> X, Matrix<double> Y) FromText(string? inputText, string? targetText, Architecture architecture)
    {
        if (inputText is null || targetText is null)
            throw new UsageException("--model needs --input (the sample's features, such as 1,2) and --target (its class or value), or --data and --sample.");
        var raw = Matrix<double>.FromRows(Values.ParseNumbers(inputText, "--input"));
        return (ModelInputs.Features(raw, architecture, "--input"), Target(targetText, architecture));
    }

    /// <summary>Sample <paramref name="index"/> of <c>--data</c>'s split, scaled for the model, and its target row.</summary>
    private static (Matrix<double> X, Matrix<double> Y) FromData(ParseResult parse, SampleSource samples, int index, Architecture architecture)
    {
        var data = samples.Load<double>(parse, architecture);
        if (index >= data.Count)
            throw new UsageException($"--sample {index} is past the end of {data.Name} ({parse.GetValue(samples.Split)} split), which has {data.Count} samples (0 to {data.Count - 1}).");
        var x = new Matrix<double>(1, data.FeatureCount, data.Features.Row(index).ToArray());
        return (x, new Matrix<double>(1, data.TargetCount, data.Targets.Row(index).ToArray()));
    }

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
}
