using System.CommandLine;
using Nabla.Runs;
using Nabla.Training;
using Nabla.Training.Callbacks;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla train</c>: parses the options (command line, then config file, then a resumed checkpoint's stored
/// settings) into a <see cref="TrainingRun"/>, runs it with a progress display, and prints what it measured.
/// </summary>
internal static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var options = new TrainOptions();
        var command = new Command("train",
            "Train a neural network; with no options, seed 000's 2-2-2 tanh network on the two Gaussians. With --data and no option that shapes " +
            "the model (--layers, --network, --activation, --loss, --init, --optimizer), a recipe for the data's kind and size (docs/recipes.md); " +
            "each option given changes the recipe's value.\n\n" +
            "Examples:\n" +
            "  nabla train\n" +
            "  nabla train --data wine.csv --label class\n" +
            "  nabla train --data fashion-mnist --layers 512,256 --activation relu --dropout 0.2 --init he --loss cross-entropy --optimizer adamw --weight-decay 0.0001 --lr-schedule cosine --batch-size 128 --epochs 30\n" +
            "  nabla train --data iris --activation sigmoid --loss cross-entropy --learning_rate 0.001 --epochs 30 --hidden_layers [256, 64] --batch-size 16\n" +
            "  nabla train --data moons --network \"Linear(16), ReLU, Linear(2)\" --loss cross-entropy --learning-rate 0.05 --epochs 500\n" +
            "  nabla train --data moons --layers 3 --loss cross-entropy --learning-rate 0.01 --weight-decay 0.01 --epochs 20000 --out runs/moons\n" +
            "  nabla train --config train.yaml --epochs 50");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var config = parse.GetValue(options.Config) is { } path ? ConfigFile.Parse(path, command) : null;
            return Run(context, command, options, new OptionSource(parse, config));
        });
        return command;
    }

    private static int Run(CliContext context, Command command, TrainOptions o, OptionSource s)
    {
        ResumedRun? resumed = null;
        string? resumeDir = s.Get(o.Control.Resume);
        if (resumeDir is not null)
        {
            resumed = ResumedRun.Open(resumeDir, command, s, o.MayChangeOnResume, o.NotStored, o.ReadPaths, context);
            s = resumed.Source;
            CheckEpochs(resumed.Resume, s.Get(o.Epochs));
        }
        string? outDir = s.Get(o.Out) ?? resumeDir;
        if (s.IsSet(o.Control.CheckpointEvery) && outDir is null)
            throw new UsageException("--checkpoint-every needs --out DIR: the directory to save the checkpoint in.");
        using var outputs = outDir is null ? null : Lock(outDir, s.IsSet(o.Out) ? o.Out.Name : o.Control.Resume.Name);
        using var threads = o.Control.ApplyThreads(s);
        using var memoryLog = s.Get(o.Control.MemoryLog) is { } memoryPath ? new MemoryLog<float>(memoryPath) : null;
        var options = resumed is null ? o.Run(s, command, outDir, null) : resumed.ReadingStoredPaths(() => o.Run(s, command, outDir, resumed.Resume));
        // From here a signal stops training with a checkpoint; before it, while the data loads, it ends the process at once.
        using var interrupt = new InterruptSignal(context.Error);
        ITrainingCallback<float> display = context.Interactive ? new LiveProgress() : new EpochLines(context.Out);
        var run = new TrainingRun(options with
        {
            Callbacks = [.. memoryLog is null ? [] : new ITrainingCallback<float>[] { memoryLog }, display,
                .. TestPause.FromEnvironment(interrupt.Token, context.Error) is { } pause ? [pause] : Array.Empty<ITrainingCallback<float>>()],
            Interrupt = interrupt.Token,
        });
        if (o.RecipeLine is { } recipe)
            context.Out.WriteLine(recipe);
        var resolved = o.Resolved ?? s;
        RunDisplay.Plan(context, run, resolved.Get(o.Optimizer), o.Tuning.Describe(resolved));
        History history;
        try
        {
            history = Fit(context, run, display);
        }
        catch (TrainingDivergedException)
        {
            RunDisplay.Diverged(context, run);
            throw;
        }
        if (run.Interrupted)
        {
            RunDisplay.Interrupted(context, run);
            return interrupt.ExitCode;
        }
        RunDisplay.Ending(context, history);
        RunDisplay.Results(context, run.Finish());
        return ExitCodes.Ok;
    }

    /// <summary>Takes the output directory's <see cref="RunLock"/>, which first checks that it can be written: before any data is loaded or epoch trained.</summary>
    /// <exception cref="UsageException">The directory cannot be written, or another run holds it.</exception>
    private static RunLock Lock(string directory, string option)
    {
        try
        {
            return RunLock.Acquire(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {directory}: {e.Message}");
        }
    }

    /// <summary>A resumed run asked for fewer epochs than its checkpoint has trained would otherwise do nothing.</summary>
    /// <exception cref="UsageException">It did.</exception>
    private static void CheckEpochs(ResumePoint resume, int epochs)
    {
        int done = resume.State.CompletedEpochs;
        if (done > epochs)
            throw new UsageException(
                $"--epochs {epochs} is fewer than the {done} epochs the checkpoint {resume.Path} has trained (--epochs counts from the start of the run): " +
                $"give --epochs {done + 1} or more to train on, or --epochs {done} to write its outputs without training.");
    }

    /// <summary>Trains with a live progress bar on a terminal; <paramref name="display"/> prints epoch lines otherwise.</summary>
    private static History Fit(CliContext context, TrainingRun run, ITrainingCallback<float> display)
    {
        if (display is not LiveProgress live)
            return run.Fit();
        History? history = null;
        int batchesPerEpoch = run.Options.BatchSize is { } b ? (run.Train.Count + b - 1) / b : 1;
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var task = live.Task = progress.AddTask("starting", maxValue: (double)run.Options.Epochs * batchesPerEpoch);
                history = run.Fit();
                task.Value = task.MaxValue;
            });
        return history!;
    }
}
