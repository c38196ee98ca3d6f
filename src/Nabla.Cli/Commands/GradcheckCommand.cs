using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Serialization;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla gradcheck</c>: float64 central differences against backpropagation for every parameter tensor
/// of a saved model or of a network described by options; exit code 1 when any tensor fails.
/// </summary>
internal static class GradcheckCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var data = new DataOptions();
        var network = new ArchitectureOptions();
        var model = new Option<string?>("--model") { Description = "Check a model file written by 'nabla train' (instead of a new network from --network or --layers and --activation, --loss, --init).", HelpName = "FILE" };
        var samples = new Option<int>("--samples")
        {
            Description = "Number of samples in the checked batch (the first ones of the dataset).",
            DefaultValueFactory = _ => 16,
            HelpName = "N",
        }.Positive();
        var maxElements = new Option<int>("--max-elements")
        {
            Description = "Most elements compared per tensor, spread evenly over it, so a convolutional network is checked in seconds (two loss evaluations each).",
            DefaultValueFactory = _ => DefaultMaxElements,
            HelpName = "N",
        }.Positive();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the data and of a new network's weights.", HelpName = "N" };
        var rtol = new Option<double>("--rtol")
        {
            Description = "Relative tolerance: an element passes when |analytic − numeric| ≤ atol + rtol·|numeric|.",
            DefaultValueFactory = _ => GradientCheck.DefaultRelativeTolerance,
        }.Positive();
        var atol = new Option<double>("--atol")
        {
            Description = "Absolute tolerance.",
            DefaultValueFactory = _ => GradientCheck.DefaultAbsoluteTolerance,
        }.Positive();
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("gradcheck",
            "Check backpropagation against float64 central differences, tensor by tensor; exits with 1 if any tensor fails.\n\n" +
            "Examples:\n  nabla gradcheck --layers 8,8 --activation sigmoid --loss cross-entropy --data moons\n" +
            "  nabla gradcheck --network \"Linear(16), LeakyReLU(0.1), Linear(2)\" --loss cross-entropy --data moons\n" +
            "  nabla gradcheck --model runs/default/model.safetensors --data gaussians --samples 32 --json");
        command.Add(model);
        data.AddTo(command, withSamples: false);
        network.AddTo(command);
        command.Add(samples);
        command.Add(maxElements);
        command.Add(seed);
        command.Add(rtol);
        command.Add(atol);
        command.Add(json);
        command.SetAction(parse =>
        {
            var s = new OptionSource(parse, null);
            var request = data.Request(s, parse.GetValue(seed), withSamples: false);
            Sequential<double> net;
            Architecture architecture;
            Dataset<double> dataset;
            string subject;
            if (parse.GetValue(model) is { } path)
            {
                (net, architecture) = ModelFile.Load<double>(path);
                dataset = ModelInputs.Prepare(request.LoadTrain<double>(architecture.ClassNames), architecture);
                ModelInputs.CheckTargets(dataset, architecture);
                subject = path;
            }
            else
            {
                dataset = request.LoadTrain<double>();
                var (layers, loss) = network.For(dataset, s);
                architecture = Architecture.For(dataset, layers, loss);
                net = architecture.Build<double>(Initializers.ByName(parse.GetValue(network.Init)!), new Rng(parse.GetValue(seed)));
                subject = "a new network";
            }
            int n = Math.Min(parse.GetValue(samples), dataset.Count);
            var batch = dataset.Subset(Enumerable.Range(0, n).ToArray());
            var result = GradientCheck.Model(net, architecture.CreateLoss<double>(), batch.Features, batch.Targets,
                atol: parse.GetValue(atol), rtol: parse.GetValue(rtol), maxElements: parse.GetValue(maxElements));
            var shapes = net.NamedParameters.ToDictionary(p => p.Name, p => $"[{string.Join(", ", p.Parameter.FileShape)}]");
            shapes["input"] = $"[{n}, {dataset.FeatureCount}]";
            if (parse.GetValue(json))
                context.Out.WriteLine(ToJson(result, shapes, subject, net, architecture, n));
            else
                Print(context, result, shapes, subject, net, architecture, n, dataset.Name, parse.GetValue(atol), parse.GetValue(rtol));
            if (result.Passed)
                return ExitCodes.Ok;
            context.Error.WriteLine($"error: the gradient check failed for {string.Join(", ", result.Tensors.Where(t => !t.Passed).Select(t => t.Name))}.");
            return ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>The default of <c>--max-elements</c>: every element of an MLP's small tensors, a spread sample of a large layer's.</summary>
    private const int DefaultMaxElements = 1000;

    private static void Print(CliContext context, GradientCheckResult result, Dictionary<string, string> shapes, string subject,
        Sequential<double> net, Architecture architecture, int samples, string data, double atol, double rtol)
    {
        // A large relative error where the gradient is nearly zero passes on the absolute tolerance: say so, not just "pass".
        static bool OnAbsolute(TensorCheck t, double rtol) => t.Passed && t.MaxRelativeError > rtol;
        context.Out.WriteLine($"Gradient check of {subject}: {net}, loss {architecture.Loss}, on {samples} samples of {data} (float64 central differences)");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("tensor", "shape", "checked", "max abs error", "max rel error", "result");
        foreach (var t in result.Tensors)
            table.AddRow(Markup.Escape(t.Name), Markup.Escape(shapes[t.Name]), t.Elements.ToString("N0", CultureInfo.InvariantCulture), E(t.MaxAbsoluteError), E(t.MaxRelativeError),
                !t.Passed ? "FAIL" : OnAbsolute(t, rtol) ? "pass (atol)" : "pass");
        context.Console.Write(table);
        context.Out.WriteLine(result.Passed ? "All gradients match." : "Some gradients do not match.");
        if (result.Tensors.Any(t => OnAbsolute(t, rtol)))
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pass (atol): the relative error is above rtol {Format.Number(rtol)} only where the gradient is near zero; every element is within atol {Format.Number(atol)} + rtol·|numeric|, so it passes on the absolute tolerance."));
    }

    private static string ToJson(GradientCheckResult result, Dictionary<string, string> shapes, string subject, Sequential<double> net,
        Architecture architecture, int samples) =>
        new JsonObject
        {
            ["model"] = subject,
            ["network"] = net.ToString(),
            ["loss_name"] = architecture.Loss,
            ["samples"] = samples,
            ["passed"] = result.Passed,
            ["tensors"] = new JsonArray([.. result.Tensors.Select(t => (JsonNode?)new JsonObject
            {
                ["name"] = t.Name,
                ["shape"] = shapes[t.Name],
                ["elements"] = t.Elements,
                ["max_abs_error"] = t.MaxAbsoluteError,
                ["max_rel_error"] = t.MaxRelativeError,
                ["passed"] = t.Passed,
            })]),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static string E(double v) => v.ToString("0.00E+00", CultureInfo.InvariantCulture);
}
