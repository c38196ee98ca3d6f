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
        var split = new Option<string?>("--split")
        {
            Description = "Which samples: test (the rows the model held out with --test, else the data's own test part: synthetic data drawn from a different seed, " +
                "or the IDX t10k files), validation (held out with --validation), train (what was not held out) or all (every row). " +
                "Default: the held-out test rows, else the validation rows, else the data's test part, else all.",
        }.AcceptOnlyFromAmong(EvaluationData.Splits);
        var seed = new Option<ulong>("--seed") { Description = "Seed of a synthetic dataset (the one used to train).", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var command = new Command("evaluate",
            "Evaluate a trained model: loss, accuracy, confusion matrix, per-class precision, recall and F1 with their macro and weighted averages " +
            "(regression: R², MAE, RMSE). It scores the rows the model held out unless --split says otherwise.\n\n" +
            "Examples:\n  nabla evaluate --model runs/default/model.safetensors\n  nabla evaluate --model runs/iris/model.safetensors --data iris --json\n" +
            "  nabla evaluate --model runs/wine/model.safetensors --data wine.csv --split validation");
        command.Add(model);
        data.AddTo(command, withColumns: false);
        command.Add(split);
        command.Add(seed);
        command.Add(json);
        command.SetAction(parse =>
        {
            var s = new OptionSource(parse, null);
            string path = parse.GetValue(model)!;
            var (network, architecture) = ModelFile.Load<float>(path);
            var request = EvaluationData.ForModel(data.Request(s, parse.GetValue(seed), withColumns: false), architecture, s.IsSet(data.Label), s.IsSet(data.Task), s.IsSet(seed));
            var (raw, part) = EvaluationData.Load(request, architecture, parse.GetValue(split));
            var dataset = ModelInputs.Prepare(raw, architecture);
            ModelInputs.CheckTargets(dataset, architecture);
            // Batches bounded by the model's width: the rows of a wide model's every layer at once once took gigabytes.
            var result = Evaluation.Run(network, architecture.CreateLoss<float>(), dataset, InferenceBatch.Rows(architecture), architecture.TargetScaling);
            var report = new Report(path, dataset.Name, part, dataset.Count, architecture.Loss, result, dataset.Labels, architecture.ClassNames);
            if (parse.GetValue(json))
                context.Out.WriteLine(report.ToJson());
            else
                report.Print(context);
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class Report(string model, string data, string part, int count, string lossName, EvaluationResult result, int[]? labels, IReadOnlyList<string>? classes)
    {
        private readonly int[,]? _confusion = labels is null ? null : Metrics.ConfusionMatrix(labels, result.Predicted!, classes!.Count);

        private int Correct => (int)Math.Round(result.Accuracy!.Value * count);

        public void Print(CliContext context)
        {
            var o = context.Out;
            o.WriteLine($"Model {model} on {data}, {part}");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss ({lossName}): {Format.Loss(result.Loss)}"));
            if (result.Regression is { } fit)
                o.WriteLine($"R²: {Format.Number(fit.RSquared)}  MAE: {Format.Number(fit.MeanAbsoluteError)}  RMSE: {Format.Number(fit.RootMeanSquaredError)} (in the target's units)");
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
            var metrics = Metrics.PerClass(_confusion, classes);
            foreach (var m in metrics)
                perClass.AddRow(Markup.Escape(m.Class), Format.Ratio(m.Precision), Format.Ratio(m.Recall), Format.Ratio(m.F1), m.Support.ToString(CultureInfo.InvariantCulture));
            perClass.AddEmptyRow();
            foreach (var m in (ClassMetrics[])[Metrics.MacroAverage(metrics), Metrics.WeightedAverage(metrics)])
                perClass.AddRow(m.Class, Format.Ratio(m.Precision), Format.Ratio(m.Recall), Format.Ratio(m.F1), m.Support.ToString(CultureInfo.InvariantCulture));
            context.Console.Write(perClass);
        }

        public string ToJson()
        {
            var root = new JsonObject
            {
                ["model"] = model,
                ["data"] = data,
                ["split"] = part,
                ["samples"] = count,
                ["loss_name"] = lossName,
                ["loss"] = result.Loss,
            };
            if (result.Regression is { } fit)
            {
                root["r2"] = fit.RSquared;
                root["mae"] = fit.MeanAbsoluteError;
                root["rmse"] = fit.RootMeanSquaredError;
            }
            if (_confusion is not null && classes is not null)
            {
                root["accuracy"] = result.Accuracy;
                root["correct"] = Correct;
                root["classes"] = new JsonArray([.. classes.Select(c => (JsonNode?)c)]);
                var rows = new JsonArray();
                for (int r = 0; r < classes.Count; r++)
                    rows.Add(new JsonArray([.. Enumerable.Range(0, classes.Count).Select(c => (JsonNode?)_confusion[r, c])]));
                root["confusion_matrix"] = rows;
                var perClass = Metrics.PerClass(_confusion, classes);
                root["per_class"] = new JsonArray([.. perClass.Select(m => (JsonNode?)Json(m))]);
                root["macro_avg"] = Json(Metrics.MacroAverage(perClass));
                root["weighted_avg"] = Json(Metrics.WeightedAverage(perClass));
            }
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }

        private static JsonObject Json(ClassMetrics m) => new()
        {
            ["class"] = m.Class,
            ["precision"] = m.Precision,
            ["recall"] = m.Recall,
            ["f1"] = m.F1,
            ["support"] = m.Support,
        };

    }
}
