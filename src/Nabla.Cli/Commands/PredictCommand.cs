using System.CommandLine;
using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.Layers;
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
        var output = new Option<string?>("--output")
        {
            Description = "Write the CSV here instead of to stdout ('-' is stdout): a regular file is replaced atomically, a link is followed, a FIFO or a device is written to.",
            HelpName = "PATH",
        };
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
            var features = ModelInputs.Features(CsvLoader.LoadFeatures<float>(inputPath, architecture.Inputs), architecture, inputPath);
            if (parse.GetValue(output) is { } path and not "-")
                OutputFile.Write(path, stream =>
                {
                    using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
                    Write(writer, network, architecture, features);
                });
            else
                Write(context.Out, network, architecture, features);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The CSV of <paramref name="network"/>'s predictions for the (scaled) <paramref name="features"/>, computed and written a
    /// batch at a time (<see cref="InferenceBatch"/>), so memory stays bounded and every row has the bits of one batch of all rows.
    /// </summary>
    private static void Write(TextWriter csv, Sequential<float> network, Architecture architecture, Matrix<float> features)
    {
        // Losses built on the softmax give probabilities; a classifier trained with plain MSE gives scores.
        var classes = architecture.ClassNames;
        bool probabilities = architecture.Loss != "mse";
        if (classes is not null)
            csv.Write(string.Join(',', ["predicted", .. classes.Select(c => Csv((probabilities ? "p_" : "score_") + c))]) + "\n");
        else
            csv.Write(string.Join(',', Enumerable.Range(0, architecture.Outputs).Select(c => architecture.Outputs == 1 ? "output" : $"output_{c}")) + "\n");
        var x = new Matrix<float>(0, features.Cols);
        foreach (var (start, rows) in InferenceBatch.Ranges(features.Rows, InferenceBatch.Rows(architecture)))
        {
            x.Reshape(rows, features.Cols);
            features.Span.Slice(start * features.Cols, rows * features.Cols).CopyTo(x.Span);
            var outputs = network.Forward(x, training: false);
            if (classes is null)
            {
                for (int r = 0; r < outputs.Rows; r++)
                    csv.Write(string.Join(',', Numbers(outputs.Row(r))) + "\n");
                continue;
            }
            if (probabilities)
                RowSoftmax.Forward<float>(outputs.Span, outputs.Span, outputs.Cols);
            var predicted = Metrics.ArgMaxRows(outputs);
            for (int r = 0; r < outputs.Rows; r++)
                csv.Write(string.Join(',', [Csv(classes[predicted[r]]), .. Numbers(outputs.Row(r))]) + "\n");
        }
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
