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
            Description = "CSV file of raw features, one sample per row: with a header naming the model's columns (in any order; other columns such as the label are ignored), " +
                "or the columns in the order the model was trained on (the header is then optional). Text columns hold the categories the model knows; image models take raw 0-255 pixels. Or give --data.",
            HelpName = "PATH",
        };
        var samples = new SampleSource();
        var output = new Option<string?>("--output")
        {
            Description = "Write the CSV here instead of to stdout ('-' is stdout): a regular file is replaced atomically, a link is followed, a FIFO or a device is written to.",
            HelpName = "PATH",
        };
        var delimiter = new Option<char>("--delimiter")
        {
            Description = "The character between fields: , (the default), ; or tab.",
            CustomParser = Values.ParseDelimiter,
            DefaultValueFactory = _ => ',',
            HelpName = "CHAR",
        };
        var command = new Command("predict",
            "Predict with a trained model: one CSV row per sample, the predicted class and the class probabilities (six decimals), or the regression outputs in the target's units.\n\n" +
            "Examples:\n  nabla predict --model runs/default/model.safetensors --input points.csv --output predictions.csv\n" +
            "  nabla predict --model runs/cnn/model.safetensors --data fashion-mnist --split test --output predictions.csv");
        command.Add(model);
        command.Add(input);
        samples.AddTo(command);
        command.Add(output);
        command.Add(delimiter);
        command.SetAction(parse =>
        {
            var (network, architecture) = ModelFile.Load<float>(parse.GetValue(model)!);
            string? inputPath = parse.GetValue(input);
            if ((inputPath is null) == (parse.GetValue(samples.Data) is null))
                throw new UsageException("Expected exactly one of --input FILE.csv (raw features) or --data NAME|PATH (a dataset's samples).");
            var features = inputPath is not null
                ? ModelInputs.Features(CsvLoader.LoadInputs<float>(inputPath, Columns(architecture), architecture.Inputs, parse.GetValue(delimiter)), architecture, inputPath)
                : samples.Load<float>(parse, architecture).Features;
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
        // Losses built on the softmax or the sigmoid give probabilities; a classifier trained with plain MSE gives scores.
        var classes = architecture.ClassNames;
        bool probabilities = ClassProbabilities.For(architecture) != ProbabilityFunction.None;
        if (classes is not null)
            csv.Write(string.Join(',', ["predicted", .. ClassProbabilities.Columns(architecture).Select(c => Csv((probabilities ? "p_" : "score_") + c))]) + "\n");
        else
        {
            string name = architecture.Target is { } target ? Csv(target) : "output";
            csv.Write(string.Join(',', Enumerable.Range(0, architecture.Outputs).Select(c => architecture.Outputs == 1 ? name : $"{name}_{c}")) + "\n");
        }
        var x = new Matrix<float>(0, features.Cols);
        foreach (var (start, rows) in InferenceBatch.Ranges(features.Rows, InferenceBatch.Rows(architecture)))
        {
            x.Reshape(rows, features.Cols);
            features.Span.Slice(start * features.Cols, rows * features.Cols).CopyTo(x.Span);
            var outputs = network.Forward(x, training: false);
            if (classes is null)
            {
                ModelInputs.Unscale(outputs, architecture);
                for (int r = 0; r < outputs.Rows; r++)
                    csv.Write(string.Join(',', Numbers(outputs.Row(r), probabilities: false)) + "\n");
                continue;
            }
            ClassProbabilities.Apply(outputs, architecture);
            for (int r = 0; r < outputs.Rows; r++)
                csv.Write(string.Join(',', [Csv(classes[ClassProbabilities.Predicted<float>(outputs.Row(r), architecture)]), .. Numbers(outputs.Row(r), probabilities)]) + "\n");
        }
    }

    /// <summary>Probabilities with six decimals (<c>0.999658</c>, <c>0.000006</c>); scores and regression outputs with six significant digits.</summary>
    private static string[] Numbers(Span<float> row, bool probabilities)
    {
        var texts = new string[row.Length];
        for (int i = 0; i < row.Length; i++)
            texts[i] = probabilities ? row[i].ToString("0.000000", CultureInfo.InvariantCulture) : Format.Number(row[i]);
        return texts;
    }

    /// <summary>The model's input columns by name (null: by position).</summary>
    private static IReadOnlyList<InputColumn>? Columns(Architecture architecture) =>
        architecture.Columns ?? architecture.FeatureNames?.Select(n => new InputColumn { Name = n }).ToList();

    private static string Csv(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
