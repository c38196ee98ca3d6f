using System.CommandLine;
using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.IO;
using Nabla.Models;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla predict</c>: a saved model's predictions for the samples of a CSV file, as CSV.</summary>
internal static class PredictCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "The model file (model.safetensors) written by 'nabla train'.", Required = true, HelpName = "FILE" };
        var input = new Option<string>("--input")
        {
            Description = "CSV file of raw features, one sample per row (a header row is optional), in the order the model was trained on.",
            Required = true,
            HelpName = "PATH",
        };
        var output = new Option<string?>("--output") { Description = "Write the CSV here instead of to stdout.", HelpName = "PATH" };
        var command = new Command("predict",
            "Predict with a trained model: one CSV row per sample, the predicted class and the class probabilities (or the regression outputs).\n\n" +
            "Example:\n  nabla predict --model runs/default/model.safetensors --input points.csv --output predictions.csv");
        command.Add(model);
        command.Add(input);
        command.Add(output);
        command.SetAction(parse =>
        {
            var (network, architecture) = ModelFile.Load<float>(parse.GetValue(model)!);
            string inputPath = parse.GetValue(input)!;
            var raw = CsvLoader.LoadFeatures<float>(inputPath, architecture.Inputs);
            var outputs = network.Forward(ModelInputs.Features(raw, architecture, inputPath), training: false);
            var csv = new StringBuilder();
            if (architecture.ClassNames is { } classes)
            {
                // Losses built on the softmax give probabilities; a classifier trained with plain MSE gives scores.
                bool probabilities = architecture.Loss != "mse";
                if (probabilities)
                    RowSoftmax.Forward<float>(outputs.Span, outputs.Span, outputs.Cols);
                string prefix = probabilities ? "p_" : "score_";
                csv.AppendJoin(',', ["predicted", .. classes.Select(c => Csv(prefix + c))]).Append('\n');
                var predicted = Metrics.ArgMaxRows(outputs);
                for (int r = 0; r < outputs.Rows; r++)
                    csv.AppendJoin(',', [Csv(classes[predicted[r]]), .. Numbers(outputs.Row(r))]).Append('\n');
            }
            else
            {
                csv.AppendJoin(',', Enumerable.Range(0, outputs.Cols).Select(c => outputs.Cols == 1 ? "output" : $"output_{c}")).Append('\n');
                for (int r = 0; r < outputs.Rows; r++)
                    csv.AppendJoin(',', Numbers(outputs.Row(r))).Append('\n');
            }
            if (parse.GetValue(output) is { } path)
                AtomicFile.WriteText(path, csv.ToString());
            else
                context.Out.Write(csv.ToString());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[] Numbers(Span<float> row)
    {
        var texts = new string[row.Length];
        for (int i = 0; i < row.Length; i++)
            texts[i] = row[i].ToString("R", CultureInfo.InvariantCulture);
        return texts;
    }

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
