using System.Globalization;
using Nabla.Diagnostics;
using Nabla.Runs;
using Nabla.Tensors;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>What <c>nabla train</c> prints about a <see cref="TrainingRun"/>: its plan, how it ended, each split's results and its health.</summary>
internal static class RunDisplay
{
    /// <summary>The network, the data, the loss and the optimizer (with <paramref name="schedule"/>, the rate's schedule in words, if any), and where a resumed run continues.</summary>
    public static void Plan(CliContext context, TrainingRun run, string optimizerName, string? schedule = null)
    {
        var (train, options) = (run.Train, run.Options);
        context.Out.WriteLine($"Training {run.Model} on {train.Name}: {train.Count} samples, {train.FeatureCount} features, " +
            (train.IsClassification ? $"{train.ClassNames!.Count} classes" : train.TargetCount == 1 ? "1 target" : $"{train.TargetCount} targets") +
            (run.Validation is null ? "" : $", {run.Validation.Count} held out for validation"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loss {run.Architecture.Loss}, {optimizerName} learning rate {run.Optimizer.LearningRate}{(schedule is null ? "" : $" ({schedule})")}, {(options.BatchSize is { } b ? $"batches of {b}" : "full batch")}, {options.Epochs} {(options.Epochs == 1 ? "epoch" : "epochs")}, seed {options.Seed}, about {MemoryBudget.Format(run.Memory.Total)} of memory"));
        if (run.Architecture.Columns?.Where(c => c.Categories is not null).ToList() is { Count: > 0 } text)
            context.Out.WriteLine("One-hot encoded text columns: " + string.Join("; ", text.Select(c =>
                $"{c.Name} ({c.Categories!.Count} categories: {string.Join(", ", c.Categories.Take(5))}{(c.Categories.Count > 5 ? ", …" : "")})")) + ".");
        if (options.Resume is { State: var state } resume)
        {
            context.Out.WriteLine($"Resuming from {resume.Path} after epoch {state.CompletedEpochs}" +
                (state.InProgress is { } p ? $" and {p.CompletedBatches} batches of epoch {state.CompletedEpochs + 1}." : "."));
            if (state.CompletedEpochs == options.Epochs && state.InProgress is null)
                context.Out.WriteLine($"All {options.Epochs} epochs are trained already: writing the outputs without training.");
        }
    }

    /// <summary>Where the last good checkpoint is, after training diverged.</summary>
    public static void Diverged(CliContext context, TrainingRun run)
    {
        if (run.Checkpoints is not { } checkpoints)
            return;
        context.Error.WriteLine(checkpoints.LastSaved is { } saved
            ? $"The last good checkpoint ({saved}) is kept in {checkpoints.Path}."
            : $"No checkpoint was saved by this run{(run.Options.Resume is null ? "" : $"; {checkpoints.Path} is as it was")}.");
    }

    /// <summary>The checkpoint an interrupted run saved, and how to continue it.</summary>
    public static void Interrupted(CliContext context, TrainingRun run) =>
        context.Error.WriteLine(run.Checkpoints?.LastSaved is { } saved
            ? $"Saved a checkpoint at {saved} to {run.Checkpoints.Path}; continue with: nabla train --resume {run.Options.OutputDirectory}"
            : "No checkpoint saved: give --out DIR to save one when interrupted.");

    /// <summary>Skipped batches and why training stopped early.</summary>
    public static void Ending(CliContext context, Training.History history)
    {
        if (history.SkippedBatches.Count > 0)
            context.Error.WriteLine($"warning: skipped {history.SkippedBatches.Count} batches with a NaN or infinity, the first at epoch {history.SkippedBatches[0].Epoch}, batch {history.SkippedBatches[0].Batch} ({history.SkippedBatches[0].Where}).");
        if (history.StopReason is { } reason)
            context.Out.WriteLine($"Stopped after epoch {history.Last.Epoch}: {reason}.");
    }

    /// <summary>Each split's loss and accuracy, the last split's accuracy in words, the health summary and the files written.</summary>
    public static void Results(CliContext context, TrainingRunResult result)
    {
        var splits = result.Splits;
        bool regression = splits[0].Result.Regression is not null;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("split", "samples", "loss");
        if (regression)
            table.AddColumns("R²", "MAE", "RMSE");
        else
            table.AddColumn("accuracy");
        foreach (var (split, data, evaluation) in splits)
        {
            string[] cells = evaluation.Regression is { } fit
                ? [Format.Number(fit.RSquared), Format.Number(fit.MeanAbsoluteError), Format.Number(fit.RootMeanSquaredError)]
                : [evaluation.Accuracy is { } a ? Format.Ratio(a) : "-"];
            table.AddRow([split, data.Count.ToString(CultureInfo.InvariantCulture), Format.Loss(evaluation.Loss), .. cells]);
        }
        context.Console.Write(table);
        var (lastSplit, lastData, last) = splits[^1];
        string name = $"{char.ToUpperInvariant(lastSplit[0])}{lastSplit[1..]}";
        context.Out.WriteLine(last switch
        {
            { Accuracy: { } accuracy } => string.Create(CultureInfo.InvariantCulture, $"{name} accuracy: {accuracy:0.0000} ({(int)Math.Round(accuracy * lastData.Count)} of {lastData.Count} correct)"),
            { Regression: { } fit } => $"{name} R²: {Format.Number(fit.RSquared)} (MAE {Format.Number(fit.MeanAbsoluteError)}, RMSE {Format.Number(fit.RootMeanSquaredError)}, in the target's units)",
            _ => $"{name} loss: {Format.Loss(last.Loss)}",
        });
        if (result.Health is { } health)
            Health(context, health);
        if (result.Files is { } files)
            context.Out.WriteLine($"Wrote {files.Model}, {files.History}, {RunOutputs.HealthFile}, {files.Report.Count - 1} plots and {files.Report[^1]}.");
    }

    private static void Health(CliContext context, TrainingHealth health)
    {
        context.Out.WriteLine("Training health (probe batch of the first training samples):");
        context.Out.WriteLine(health.ToString());
        if (health.Warnings.Count == 0)
            context.Out.WriteLine("All health checks are in range.");
    }
}
