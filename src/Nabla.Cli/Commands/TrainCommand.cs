using System.CommandLine;
using System.Globalization;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.IO;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Reports;
using Nabla.Serialization;
using Nabla.Training;
using Nabla.Training.Callbacks;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla train</c>: trains a multilayer perceptron and writes the model file and the history.</summary>
internal static class TrainCommand
{
    /// <summary>The default learning rate: seed 000's network trains in a few hundred full-batch steps (its 1e-6 stays flat).</summary>
    public const double DefaultLearningRate = 0.2;

    /// <summary>The default number of epochs.</summary>
    public const int DefaultEpochs = 300;

    /// <summary>Mixed into the seed of the <c>--test</c> hold-out, so it differs from the <c>--validation</c> split.</summary>
    public const ulong TestSplitSalt = 0x7E57UL;

    /// <summary>Networks with at most this many parameters have every value recorded per iteration for the report (seed 001's plots).</summary>
    public const int MaxTracedParameters = 50;

    private sealed class Options
    {
        public DataOptions Data { get; } = new();

        public ArchitectureOptions Network { get; } = new();

        public Option<string> Optimizer { get; } = new Option<string>("--optimizer")
        {
            Description = "Optimizer.",
            DefaultValueFactory = _ => "sgd",
        }.AcceptOnlyFromAmong("sgd", "adam");

        public Option<double> LearningRate { get; } = new Option<double>("--learning-rate", "--learning_rate", "--lr")
        {
            Description = "Learning rate α.",
            DefaultValueFactory = _ => DefaultLearningRate,
            HelpName = "ALPHA",
        }.Positive();

        public Option<double> Momentum { get; } = new Option<double>("--momentum")
        {
            Description = "SGD momentum γ in [0, 1): v ← γv + α∇, W ← W − v (seed 002).",
            HelpName = "GAMMA",
        }.Within(0, 1);

        public Option<bool> Nesterov { get; } = new("--nesterov") { Description = "Nesterov momentum (needs --momentum > 0)." };

        public Option<double> WeightDecay { get; } = new Option<double>("--weight-decay", "--weight_decay")
        {
            Description = "L2 weight decay λ on the weights (seed 004's reg_lambda).",
            HelpName = "LAMBDA",
        }.Within(0, double.PositiveInfinity);

        public Option<int> Epochs { get; } = new Option<int>("--epochs")
        {
            Description = "Passes over the training data.",
            DefaultValueFactory = _ => DefaultEpochs,
            HelpName = "N",
        }.Positive();

        public Option<int?> BatchSize { get; } = new("--batch-size", "--batch_size")
        {
            Description = "Samples per step: a positive integer, or full for full-batch gradient descent.",
            CustomParser = Values.ParseBatchSize,
            HelpName = "N|full",
        };

        public Option<ulong> Seed { get; } = new("--seed")
        {
            Description = "Seed of the data, the weights and the shuffling.",
            HelpName = "N",
        };

        public Option<string> Scale { get; } = new Option<string>("--scale")
        {
            Description = "Input scaling fitted on the training split and stored in the model: none, standard (mean 0, std 1) or minmax ([0, 1]).",
            DefaultValueFactory = _ => "none",
        }.AcceptOnlyFromAmong("none", "standard", "minmax");

        public Option<double?> Validation { get; } = new("--validation")
        {
            Description = "Fraction of the training data held out for validation, e.g. 0.1.",
            CustomParser = r => Values.Number<double>(r, v => v > 0 && v < 1, "a fraction in (0, 1) such as 0.1"),
            HelpName = "FRACTION",
        };

        public Option<double?> Test { get; } = new("--test")
        {
            Description = "Fraction held out as the test set, for data that has no test split of its own (a CSV file such as iris), e.g. 0.2.",
            CustomParser = r => Values.Number<double>(r, v => v > 0 && v < 1, "a fraction in (0, 1) such as 0.2"),
            HelpName = "FRACTION",
        };

        public Option<int?> EarlyStopping { get; } = new("--early-stopping", "--early_stopping")
        {
            Description = "Stop when the validation (or training) loss has not improved for this many epochs, and keep the best weights.",
            CustomParser = r => Values.Number<int>(r, v => v >= 1, "a patience of at least 1 epoch"),
            HelpName = "PATIENCE",
        };

        public Option<string?> Out { get; } = new("--out")
        {
            Description = "Directory to write model.safetensors, history.csv, the SVG plots and report.html to.",
            HelpName = "DIR",
        };

        public Option<string?> Config { get; } = new("--config")
        {
            Description = "YAML file of option values (same names as the flags); flags override it.",
            HelpName = "FILE.yaml",
        };

        public RunControlOptions Control { get; } = new();

        /// <summary>What a resumed run may set differently from its checkpoint.</summary>
        public IReadOnlyCollection<Option> MayChangeOnResume => [Epochs, Out, Config, .. Control.Overridable];

        public void AddTo(Command command)
        {
            Data.AddTo(command);
            Network.AddTo(command);
            command.Add(Optimizer);
            command.Add(LearningRate);
            command.Add(Momentum);
            command.Add(Nesterov);
            command.Add(WeightDecay);
            command.Add(Epochs);
            command.Add(BatchSize);
            command.Add(Seed);
            command.Add(Scale);
            command.Add(Validation);
            command.Add(Test);
            command.Add(EarlyStopping);
            command.Add(Out);
            command.Add(Config);
            Control.AddTo(command);
        }
    }

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var options = new Options();
        var command = new Command("train",
            "Train a multilayer perceptron; with no options, seed 000's 2-2-2 tanh network on the two Gaussians.\n\n" +
            "Examples:\n" +
            "  nabla train\n" +
            "  nabla train --data iris --activation sigmoid --loss cross-entropy --learning_rate 0.001 --epochs 30 --hidden_layers [256, 64] --batch-size 16\n" +
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

    private static int Run(CliContext context, Command command, Options o, OptionSource s)
    {
        Checkpoint? resumed = null;
        string? resumeDir = s.Get(o.Control.Resume);
        if (resumeDir is not null)
            (s, resumed) = ResumedRun.Open(resumeDir, command, s, o.MayChangeOnResume);
        string? outDir = s.Get(o.Out) ?? resumeDir;
        if (s.IsSet(o.Control.CheckpointEvery) && outDir is null)
            throw new UsageException("--checkpoint-every needs --out DIR: the directory to save the checkpoint in.");
        using var threads = o.Control.ApplyThreads(s);
        ulong seed = s.Get(o.Seed);
        var request = o.Data.Request(s, seed);
        var train = request.LoadTrain<float>();
        bool regression = !train.IsClassification;

        var test = request.LoadTest<float>(train.ClassNames);
        if (s.Get(o.Test) is { } testFraction)
        {
            if (test is not null)
                throw new UsageException($"--test holds out a test set from data that has none; {train.Name} has its own test split.");
            // The held-out part of a train/validation split is the test set here.
            (train, test) = Split.TrainValidation(train, testFraction, seed ^ TestSplitSalt, stratified: train.IsClassification);
        }
        Dataset<float>? validation = null;
        if (s.Get(o.Validation) is { } fraction)
            (train, validation) = Split.TrainValidation(train, fraction, seed, stratified: train.IsClassification);

        var architecture = o.Network.For(train, s) with { Scaling = FitScaling(s.Get(o.Scale), train) };
        train = ModelInputs.Prepare(train, architecture);
        validation = validation is null ? null : ModelInputs.Prepare(validation, architecture);
        test = test is null ? null : ModelInputs.Prepare(test, architecture);
        var model = architecture.Build<float>(Initializers.ByName(s.Get(o.Network.Init)), new Rng(seed));
        var optimizer = CreateOptimizer(o, s);
        var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), optimizer);
        if (resumed is not null)
            ResumedRun.Restore(resumed, architecture, model, optimizer, resumeDir!);

        int epochs = s.Get(o.Epochs);
        int? batchSize = s.Get(o.BatchSize);
        var callbacks = new List<ITrainingCallback<float>>();
        // Before the checkpoint writer, so a checkpoint holds the early-stopping state after its epoch.
        var earlyStopping = s.Get(o.EarlyStopping) is { } patience ? new EarlyStopping<float>(patience) : null;
        if (earlyStopping is not null)
        {
            if (resumed is not null)
                ResumedRun.Restore(resumed, earlyStopping, resumeDir!);
            callbacks.Add(earlyStopping);
        }
        var testCurve = outDir is not null && test is not null ? new EpochEvaluation<float>(test, trainer.Loss) : null;
        if (testCurve is not null)
            callbacks.Add(testCurve);
        var updates = new WeightUpdates<float>();
        callbacks.Add(updates);
        var checkpoints = outDir is null ? null : new CheckpointWriter(outDir, s.Get(o.Control.CheckpointEvery), architecture, optimizer,
            ResumedRun.Settings(command, s, [o.Out, o.Config, .. o.Control.NotStored]), earlyStopping);
        if (checkpoints is not null)
            callbacks.Add(checkpoints);
        using var memoryLog = s.Get(o.Control.MemoryLog) is { } memoryPath ? new MemoryLog<float>(memoryPath) : null;
        if (memoryLog is not null)
            callbacks.Add(memoryLog);
        using var interrupt = new InterruptSignal(context.Error);

        context.Out.WriteLine($"Training {model} on {train.Name}: {train.Count} samples, {train.FeatureCount} features, " +
            (regression ? $"{train.TargetCount} targets" : $"{train.ClassNames!.Count} classes") + (validation is null ? "" : $", {validation.Count} held out for validation"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loss {architecture.Loss}, {s.Get(o.Optimizer)} learning rate {optimizer.LearningRate}, {(batchSize is { } b ? $"batches of {b}" : "full batch")}, {epochs} epochs, seed {seed}"));

        if (resumed is not null)
            context.Out.WriteLine($"Resuming from {Path.Combine(resumeDir!, CheckpointFile.FileName)} after epoch {resumed.State.CompletedEpochs}" +
                (resumed.State.InProgress is { } p ? $" and {p.CompletedBatches} batches of epoch {resumed.State.CompletedEpochs + 1}." : "."));
        History history;
        try
        {
            history = Fit(context, trainer, train, new TrainingOptions<float>
            {
                Epochs = epochs,
                BatchSize = batchSize,
                Seed = seed,
                Validation = validation,
                RecordParameters = outDir is not null && model.ParameterCount <= MaxTracedParameters,
                Callbacks = callbacks,
                OnDivergence = o.Control.Policy(s),
                InitialState = resumed?.State,
                Interrupt = interrupt.Token,
            });
        }
        catch (TrainingDivergedException) when (checkpoints is not null)
        {
            context.Error.WriteLine(checkpoints.LastSaved is { } saved
                ? $"The last good checkpoint ({saved}) is kept in {checkpoints.Path}."
                : $"No checkpoint was saved by this run{(resumed is null ? "" : $"; {checkpoints.Path} is as it was")}.");
            throw;
        }
        if (interrupt.Token.IsCancellationRequested && history.StopReason?.Kind == StopKind.Interrupted)
        {
            context.Error.WriteLine(checkpoints?.LastSaved is { } saved
                ? $"Saved a checkpoint at {saved} to {checkpoints.Path}; continue with: nabla train --resume {outDir}"
                : "No checkpoint saved: give --out DIR to save one when interrupted.");
            return ExitCodes.Interrupted;
        }
        if (history.SkippedBatches.Count > 0)
            context.Error.WriteLine($"warning: skipped {history.SkippedBatches.Count} batches with a NaN or infinity, the first at epoch {history.SkippedBatches[0].Epoch}, batch {history.SkippedBatches[0].Batch} ({history.SkippedBatches[0].Where}).");
        if (history.StopReason is { } reason)
            context.Out.WriteLine($"Stopped after epoch {history.Last.Epoch}: {reason}.");

        var results = new List<(string Split, Dataset<float> Data, EvaluationResult Result)> { ("train", train, Evaluate(trainer, train)) };
        if (validation is not null)
            results.Add(("validation", validation, Evaluate(trainer, validation)));
        if (test is not null)
            results.Add(("test", test, Evaluate(trainer, test)));
        PrintResults(context, results);
        var health = HealthSummary.Measure(trainer, train, updates);
        HealthSummary.Print(context, health);

        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            string modelPath = Path.Combine(outDir, "model.safetensors");
            string historyPath = Path.Combine(outDir, "history.csv");
            ModelFile.Save(modelPath, model, architecture);
            AtomicFile.WriteText(historyPath, history.ToCsv());
            var report = new RunReport<float>(architecture, model, history, train)
            {
                Validation = validation,
                Test = test,
                TestCurve = testCurve,
                Health = health,
                Settings = Settings(o, s, optimizer, train),
            }.Write(outDir);
            AtomicFile.WriteText(Path.Combine(outDir, HealthSummary.FileName), health.ToJson());
            context.Out.WriteLine($"Wrote {modelPath}, {historyPath}, {HealthSummary.FileName}, {report.Count - 1} plots and {report[^1]}.");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The run's settings as the report lists them.</summary>
    private static List<KeyValuePair<string, string>> Settings(Options o, OptionSource s, Optimizer<float> optimizer, Dataset<float> train)
    {
        string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        var settings = new List<KeyValuePair<string, string>>
        {
            new("data", $"{train.Name} ({train.Count:N0} training samples)"),
            new("optimizer", s.Get(o.Optimizer)),
            new("learning rate", F(optimizer.LearningRate)),
        };
        if (s.Get(o.Momentum) is > 0 and var momentum)
            settings.Add(new("momentum", F(momentum) + (s.Get(o.Nesterov) ? " (Nesterov)" : "")));
        if (s.Get(o.WeightDecay) is > 0 and var decay)
            settings.Add(new("L2 weight decay λ", F(decay)));
        settings.Add(new("batch size", s.Get(o.BatchSize) is { } b ? b.ToString(CultureInfo.InvariantCulture) : "full batch"));
        settings.Add(new("epochs", s.Get(o.Epochs).ToString(CultureInfo.InvariantCulture)));
        if (s.Get(o.EarlyStopping) is { } patience)
            settings.Add(new("early stopping patience", patience.ToString(CultureInfo.InvariantCulture)));
        settings.Add(new("initialization", s.Get(o.Network.Init)));
        settings.Add(new("seed", s.Get(o.Seed).ToString(CultureInfo.InvariantCulture)));
        return settings;
    }

    /// <summary>The scaling fitted on the training split (stored in the model file), or null for none.</summary>
    private static Scaling? FitScaling(string kind, Dataset<float> train) => kind switch
    {
        "standard" => Scaling.Fit(ScalingKind.Standard, train.Features),
        "minmax" => Scaling.Fit(ScalingKind.MinMax, train.Features),
        _ => null,
    };

    private static Optimizer<float> CreateOptimizer(Options o, OptionSource s)
    {
        double rate = s.Get(o.LearningRate), momentum = s.Get(o.Momentum), decay = s.Get(o.WeightDecay);
        bool nesterov = s.Get(o.Nesterov);
        if (s.Get(o.Optimizer) == "adam")
        {
            if (momentum != 0 || nesterov)
                throw new UsageException("--momentum and --nesterov apply to --optimizer sgd; Adam keeps its own moments.");
            return new Adam<float>(rate, weightDecay: decay);
        }
        if (nesterov && momentum == 0)
            throw new UsageException("--nesterov needs --momentum greater than 0; received --momentum 0.");
        return new Sgd<float>(rate, momentum, nesterov, decay);
    }

    private static History Fit(CliContext context, Trainer<float> trainer, Dataset<float> train, TrainingOptions<float> options)
    {
        if (!context.Interactive)
            return trainer.Fit(train, With(options, new EpochLines(context.Out)));
        History? history = null;
        int batchesPerEpoch = options.BatchSize is { } b ? (train.Count + b - 1) / b : 1;
        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask("starting", maxValue: (double)options.Epochs * batchesPerEpoch);
                history = trainer.Fit(train, With(options, new LiveProgress(task)));
                task.Value = task.MaxValue;
            });
        return history!;
    }

    private static TrainingOptions<float> With(TrainingOptions<float> options, ITrainingCallback<float> display) => new()
    {
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        Seed = options.Seed,
        Validation = options.Validation,
        RecordParameters = options.RecordParameters,
        OnDivergence = options.OnDivergence,
        InitialState = options.InitialState,
        Interrupt = options.Interrupt,
        Callbacks = [.. options.Callbacks, display],
    };

    private static EvaluationResult Evaluate(Trainer<float> trainer, Dataset<float> data) => Evaluation.Run(trainer.Model, trainer.Loss, data);

    private static void PrintResults(CliContext context, List<(string Split, Dataset<float> Data, EvaluationResult Result)> results)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("split", "samples", "loss", "accuracy");
        foreach (var (split, data, result) in results)
            table.AddRow(split, data.Count.ToString(CultureInfo.InvariantCulture), Format.Loss(result.Loss),
                result.Accuracy is { } a ? Format.Ratio(a) : "-");
        context.Console.Write(table);
        var (lastSplit, lastData, last) = results[^1];
        if (last.Accuracy is { } accuracy)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{char.ToUpperInvariant(lastSplit[0])}{lastSplit[1..]} accuracy: {accuracy:0.0000} ({(int)Math.Round(accuracy * lastData.Count)} of {lastData.Count} correct)"));
        else
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(lastSplit[0])}{lastSplit[1..]} loss: {Format.Loss(last.Loss)}"));
    }
}
