using System.CommandLine;
using System.Globalization;
using System.Text;
using Nabla.Data;
using Nabla.IO;
using Nabla.Layers;
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
            Description = "CSV file of raw features, one sample per row (a header row is optional), in the order the model was trained on (or give --data).",
            HelpName = "PATH",
        };
        var samples = new SampleSource();
        var output = new Option<string?>("--output") { Description = "Write the CSV here instead of to stdout.", HelpName = "PATH" };
        var command = new Command("predict",
            "Predict with a trained model: one CSV row per sample, the predicted class and the class probabilities (or the regression outputs).\n\n" +
            "Examples:\n  nabla predict --model runs/default/model.safetensors --input points.csv --output predictions.csv\n" +
            "  nabla predict --model runs/cnn/model.safetensors --data fashion-mnist --split test --output predictions.csv");
        command.Add(model);
        command.Add(input);
        samples.AddTo(command);
        command.Add(output);
        command.SetAction(parse =>
        {
            var (network, architecture) = ModelFile.Load<float>(parse.GetValue(model)!);
            string? inputPath = parse.GetValue(input);
            if ((inputPath is null) == (parse.GetValue(samples.Data) is null))
                throw new UsageException("Expected exactly one of --input FILE.csv (raw features) or --data NAME|PATH (a dataset's samples).");
            var features = inputPath is not null
                ? ModelInputs.Features(CsvLoader.LoadFeatures<float>(inputPath, architecture.Inputs), architecture, inputPath)
                : samples.Load<float>(parse, architecture).Features;
            var outputs = Forward(network, features);
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

    /// <summary>Rows per forward pass: a convolutional network's layer outputs for all 10,000 test images at once would take gigabytes.</summary>
    private const int BatchRows = 256;

    /// <summary>The network's outputs for every row of <paramref name="features"/>, computed <see cref="BatchRows"/> rows at a time.</summary>
    private static Matrix<float> Forward(Sequential<float> network, Matrix<float> features)
    {
        Matrix<float>? outputs = null;
        var batch = new Matrix<float>(0, 0);
        for (int start = 0; start < features.Rows; start += BatchRows)
        {
            int n = Math.Min(BatchRows, features.Rows - start);
            batch.Reshape(n, features.Cols);
            features.Span.Slice(start * features.Cols, n * features.Cols).CopyTo(batch.Span);
            var output = network.Forward(batch, training: false);
            outputs ??= new Matrix<float>(features.Rows, output.Cols);
            output.Span.CopyTo(outputs.Span.Slice(start * output.Cols, n * output.Cols));
        }
        return outputs ?? network.Forward(features, training: false);
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
