using System.CommandLine;
using Nabla.Models;
using Nabla.Reports;
using Nabla.Serialization;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla import</c>: an ONNX file (PyTorch's <c>torch.onnx.export</c>, a converted Keras model, or <c>nabla export</c>'s) as a Nabla model file.</summary>
internal static class ImportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var format = new Option<string>("--format") { Description = "The file format to read.", DefaultValueFactory = _ => "onnx" }.AcceptOnlyFromAmong("onnx");
        var input = new Option<string>("--input") { Description = "The ONNX file to import.", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--output") { Description = "The model file to write (model.safetensors).", Required = true, HelpName = "PATH" };
        var classes = new Option<string?>("--classes")
        {
            Description = "The class names, in output order: a,b,c (default: a Nabla-exported file's, else 0, 1, 2, …).",
            HelpName = "NAMES",
        };
        var loss = new Option<string?>("--loss")
        {
            Description = "The loss to record (default: a Nabla-exported file's, else cross-entropy; mse with --regression). " +
                "A final Softmax (Sigmoid for binary-cross-entropy) is taken as the loss's own and dropped from the network.",
        }.AcceptOnlyFromAmong([.. Architecture.LossNames]);
        var regression = new Option<bool>("--regression") { Description = "Import a regression model: no classes." };
        var command = new Command("import",
            "Import an ONNX model made of layers Nabla has (PyTorch's torch.onnx.export of an nn.Sequential, a converted Keras model) " +
            "into a model file that evaluate, predict, trace and export take.\n\n" +
            "Example:\n  nabla import --format onnx --input iris.onnx --output iris.safetensors --classes setosa,versicolor,virginica")
        {
            format,
            input,
            output,
            classes,
            loss,
            regression,
        };
        command.SetAction(parse =>
        {
            var names = parse.GetValue(classes)?.Split(',', StringSplitOptions.TrimEntries);
            if (names is not null && parse.GetValue(regression))
                throw new UsageException("--classes names a classifier's classes; --regression imports a model without classes. Give one of them.");
            if (names is not null && (names.Any(n => n.Length == 0) || names.Distinct(StringComparer.Ordinal).Count() != names.Length))
                throw new UsageException($"Expected distinct non-empty class names such as a,b,c; received --classes {parse.GetValue(classes)}.");
            var options = new OnnxImportOptions { ClassNames = names, Loss = parse.GetValue(loss), Regression = parse.GetValue(regression) };
            var (network, architecture) = OnnxImport.Load(parse.GetValue(input)!, options);
            string destination = parse.GetValue(output)!;
            ModelFile.Save(destination, network, architecture);
            context.Out.WriteLine($"Wrote {destination}: {RunDescription.Network(architecture)}, loss {architecture.Loss}" +
                (architecture.ClassNames is { } c ? $", classes {string.Join(", ", c)}." : ", regression."));
            return ExitCodes.Ok;
        });
        return command;
    }
}
