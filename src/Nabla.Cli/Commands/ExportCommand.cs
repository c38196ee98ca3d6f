using System.CommandLine;
using Nabla.Reports;
using Nabla.Serialization;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla export</c>: a model file as an ONNX file for ONNX Runtime, Triton or any ONNX host.</summary>
internal static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "The model file (model.safetensors) to export.", Required = true, HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "The file format to write.", DefaultValueFactory = _ => "onnx" }.AcceptOnlyFromAmong("onnx");
        var output = new Option<string>("--output") { Description = "The file to write (model.onnx).", Required = true, HelpName = "PATH" };
        var command = new Command("export",
            "Export a model to ONNX: the graph takes the raw features 'nabla predict --input' takes (the input scaling is in it), " +
            "as 'input' [batch, features], and outputs 'logits' and 'probabilities' (a classifier; 'scores' for one trained with mse) or 'outputs' (regression).\n\n" +
            "Example:\n  nabla export --model runs/iris/model.safetensors --format onnx --output iris.onnx")
        {
            model,
            format,
            output,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(model)!, destination = parse.GetValue(output)!;
            var (network, architecture) = ModelFile.Load<float>(path);
            try
            {
                OnnxExport.Save(destination, network, architecture);
            }
            catch (NotSupportedException e)
            {
                throw new NablaInputException($"{path}: {e.Message}", path, e);
            }
            context.Out.WriteLine($"Wrote {destination}: {RunDescription.Network(architecture)}, ONNX opset {OnnxExport.Opset}; " +
                $"input '{OnnxExport.InputName}' [batch, {architecture.Inputs}], outputs {string.Join(", ", OnnxExport.OutputNames(architecture).Select(n => $"'{n}'"))} [batch, {architecture.Outputs}].");
            return ExitCodes.Ok;
        });
        return command;
    }
}
