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
            Description = "CSV file of raw features, one sample per row: with a header naming the model's columns (in any order; other columns such as the label are ignored), " +
                "or the columns in the order the model was trained on (the header is then optional). Text columns hold the categories the model knows; image models take raw 0-255 pixels.",
            Required = true,
            HelpName = "PATH",
        };
        var delimiter = new Option<char>("--delimiter")
        {
            Description = "The character between fields: , (the default), ; or tab.",
            CustomParser = Values.ParseDelimiter,
            DefaultValueFactory = _ => ',',
            HelpName = "CHAR",
        };
        var output = new Option<string?>("--output") { Description = "Write the CSV here instead of to stdout.", HelpName = "PATH" };
        var command = new Command("predict",
            "Predict with a trained model: one CSV row per sample, the predicted class and the class probabilities (six decimals), or the regression outputs in the target's units.\n\n" +
            "Example:\n  nabla predict --model runs/default/model.safetensors --input points.csv --output predictions.csv");
        command.Add(model);
        command.Add(input);
        command.Add(output);
        command.Add(delimiter);
        command.SetAction(parse =>
        {
            var (network, architecture) = ModelFile.Load<float>(parse.GetValue(model)!);
            string inputPath = parse.GetValue(input)!;
            var columns = architecture.Columns ?? architecture.FeatureNames?.Select(n => new InputColumn { Name = n }).ToList();
            var raw = CsvLoader.LoadInputs<float>(inputPath, columns, architecture.Inputs, parse.GetValue(delimiter));
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
                    csv.AppendJoin(',', [Csv(classes[predicted[r]]), .. Numbers(outputs.Row(r), probabilities)]).Append('\n');
            }
            else
            {
                ModelInputs.Unscale(outputs, architecture);
                string name = architecture.Target is { } target ? Csv(target) : "output";
                csv.AppendJoin(',', Enumerable.Range(0, outputs.Cols).Select(c => outputs.Cols == 1 ? name : $"{name}_{c}")).Append('\n');
                for (int r = 0; r < outputs.Rows; r++)
                    csv.AppendJoin(',', Numbers(outputs.Row(r), probabilities: false)).Append('\n');
            }
            if (parse.GetValue(output) is { } path)
                AtomicFile.WriteText(path, csv.ToString());
            else
                context.Out.Write(csv.ToString());
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Probabilities with six decimals (<c>0.999658</c>, <c>0.000006</c>); scores and regression outputs with six significant digits.</summary>
    private static string[] Numbers(Span<float> row, bool probabilities)
    {
        var texts = new string[row.Length];
        for (int i = 0; i < row.Length; i++)
            texts[i] = probabilities ? row[i].ToString("0.000000", CultureInfo.InvariantCulture) : Format.Number(row[i]);
        return texts;
    }

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
