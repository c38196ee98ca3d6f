using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Models;
using Nabla.Serialization;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla evaluate</c>: a saved model's loss, accuracy, confusion matrix and per-class metrics on a dataset.</summary>
internal static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var data = new DataOptions();
        var model = new Option<string>("--model") { Description = "The model file (model.safetensors) written by 'nabla train'.", Required = true, HelpName = "FILE" };
        var split = new Option<string>("--split")
        {
            Description = "Which part of a dataset that has one: test (the held-out set: synthetic data drawn from a different seed, or the IDX t10k files) or train. CSV files are evaluated whole.",
            DefaultValueFactory = _ => "test",
        }.AcceptOnlyFromAmong("test", "train");
        var seed = new Option<ulong>("--seed") { Description = "Seed of a synthetic dataset (the one used to train).", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("evaluate",
            "Evaluate a trained model: loss, accuracy, confusion matrix, per-class precision, recall and F1.\n\n" +
            "Examples:\n  nabla evaluate --model runs/default/model.safetensors\n  nabla evaluate --model runs/iris/model.safetensors --data iris --json");
        command.Add(model);
        data.AddTo(command);
        command.Add(split);
        command.Add(seed);
        command.Add(json);
        command.SetAction(parse =>
        {
            var s = new OptionSource(parse, null);
            string path = parse.GetValue(model)!;
            var (network, architecture) = ModelFile.Load<float>(path);
            var request = data.Request(s, parse.GetValue(seed));
            var dataset = ModelInputs.Prepare(request.Load<float>(test: parse.GetValue(split) == "test", architecture.ClassNames), architecture);
            ModelInputs.CheckTargets(dataset, architecture);
            // Batches bounded by the model's width: the rows of a wide model's every layer at once once took gigabytes.
            var result = Evaluation.Run(network, architecture.CreateLoss<float>(), dataset, InferenceBatch.Rows(architecture));
            var report = new Report(path, dataset.Name, dataset.Count, architecture.Loss, result, dataset.Labels, architecture.ClassNames);
            if (parse.GetValue(json))
                context.Out.WriteLine(report.ToJson());
            else
                report.Print(context);
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class Report(string model, string data, int count, string lossName, EvaluationResult result, int[]? labels, IReadOnlyList<string>? classes)
    {
        private readonly int[,]? _confusion = labels is null ? null : Metrics.ConfusionMatrix(labels, result.Predicted!, classes!.Count);

        private int Correct => (int)Math.Round(result.Accuracy!.Value * count);

        public void Print(CliContext context)
        {
            var o = context.Out;
            o.WriteLine($"Model {model} on {data}: {count} samples");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss ({lossName}): {Format.Loss(result.Loss)}"));
            if (_confusion is null)
                return;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"accuracy: {result.Accuracy:0.0000} ({Correct} of {count} correct)"));
            o.WriteLine("Confusion matrix (rows: true class, columns: predicted class):");
            var matrix = new Table().Border(TableBorder.Rounded).AddColumn("true \\ predicted");
            foreach (var c in classes!)
                matrix.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
            for (int r = 0; r < classes.Count; r++)
                matrix.AddRow([Markup.Escape(classes[r]), .. Enumerable.Range(0, classes.Count).Select(c => _confusion[r, c].ToString(CultureInfo.InvariantCulture))]);
            context.Console.Write(matrix);
            var perClass = new Table().Border(TableBorder.Rounded).AddColumns("class", "precision", "recall", "F1", "support");
            foreach (var m in Metrics.PerClass(_confusion, classes))
                perClass.AddRow(Markup.Escape(m.Class), Format.Ratio(m.Precision), Format.Ratio(m.Recall), Format.Ratio(m.F1), m.Support.ToString(CultureInfo.InvariantCulture));
            context.Console.Write(perClass);
        }

        public string ToJson()
        {
            var root = new JsonObject
            {
                ["model"] = model,
                ["data"] = data,
                ["samples"] = count,
                ["loss_name"] = lossName,
                ["loss"] = result.Loss,
            };
            if (_confusion is not null && classes is not null)
            {
                root["accuracy"] = result.Accuracy;
                root["correct"] = Correct;
                root["classes"] = new JsonArray([.. classes.Select(c => (JsonNode?)c)]);
                var rows = new JsonArray();
                for (int r = 0; r < classes.Count; r++)
                    rows.Add(new JsonArray([.. Enumerable.Range(0, classes.Count).Select(c => (JsonNode?)_confusion[r, c])]));
                root["confusion_matrix"] = rows;
                root["per_class"] = new JsonArray([.. Metrics.PerClass(_confusion, classes).Select(m => (JsonNode?)new JsonObject
                {
                    ["class"] = m.Class,
                    ["precision"] = m.Precision,
                    ["recall"] = m.Recall,
                    ["f1"] = m.F1,
                    ["support"] = m.Support,
                })]);
            }
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }

    }
}
