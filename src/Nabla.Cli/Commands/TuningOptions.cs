using System.CommandLine;
using System.Globalization;
using Nabla.Data;
using Nabla.Losses;
using Nabla.Optimizers;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// The options of <c>nabla train</c> that tune a run beyond its network and optimizer: the learning-rate schedule
/// and its warmup, dropout, class weights, what early stopping (and a plateau schedule) monitors, and the model a
/// run starts from.
/// </summary>
internal sealed class TuningOptions
{
    public Option<string> Schedule { get; } = new("--lr-schedule", "--lr_schedule")
    {
        Description = "Learning rate per epoch: constant, step, exponential, cosine, plateau or onecycle, with optional arguments: " +
            "step(every=10, gamma=0.1), exponential(gamma=0.95), cosine(min=0), plateau(factor=0.1, patience=10), onecycle(warmup=0.3).",
        DefaultValueFactory = _ => "constant",
        HelpName = "SCHEDULE",
    };

    public Option<int?> Warmup { get; } = new("--warmup")
    {
        Description = "Raise the learning rate linearly from near 0 over the first N epochs (per step), then follow --lr-schedule.",
        CustomParser = r => Values.Number<int>(r, v => v >= 1, "a number of epochs of at least 1"),
        HelpName = "EPOCHS",
    };

    public Option<double?> Dropout { get; } = new("--dropout")
    {
        Description = "Dropout probability after every hidden activation of the --layers network (0: none); with --network, write Dropout(p) in it.",
        CustomParser = r => Values.Number<double>(r, v => v >= 0 && v < 1, "a probability in [0, 1) such as 0.2"),
        HelpName = "P",
    };

    public Option<string?> ClassWeight { get; } = new("--class-weight", "--class_weight")
    {
        Description = "Weigh each class in the loss: balanced (n / (classes · n_class), from the training split) or name=weight,... (others weigh 1).",
        HelpName = "balanced|NAME=W,...",
    };

    public Option<string> Monitor { get; } = new Option<string>("--monitor")
    {
        Description = "What --early-stopping and --lr-schedule plateau watch: val_loss (lower is better) or val_accuracy (higher is better); the training value without --validation.",
        DefaultValueFactory = _ => "val_loss",
    }.AcceptOnlyFromAmong("val_loss", "val_accuracy");

    public Option<double> MinDelta { get; } = new Option<double>("--min-delta", "--min_delta")
    {
        Description = "Early stopping counts an epoch as an improvement only when it beats the best value by more than this.",
        HelpName = "DELTA",
    }.Within(0, double.PositiveInfinity);

    public Option<string?> InitFrom { get; } = new("--init-from", "--init_from")
    {
        Description = "Start from this model file's weights instead of random ones (fine-tuning); it must have the same network.",
        HelpName = "MODEL.safetensors",
    };

    public void AddTo(Command command)
    {
        command.Add(Schedule);
        command.Add(Warmup);
        command.Add(Dropout);
        command.Add(ClassWeight);
        command.Add(Monitor);
        command.Add(MinDelta);
        command.Add(InitFrom);
    }

    /// <summary>The monitored metric.</summary>
    public MonitoredMetric Monitored(OptionSource s) => MonitoredMetric.Parse(s.Get(Monitor));

    /// <summary>A fresh schedule (a plateau schedule keeps state, so each run needs its own), with its warmup.</summary>
    /// <exception cref="UsageException">The schedule does not parse, or a warmup is asked of one cycle.</exception>
    public LearningRateSchedule CreateSchedule(OptionSource s)
    {
        string text = s.Get(Schedule);
        LearningRateSchedule schedule;
        try
        {
            schedule = ScheduleSpelling.Parse(text, maximize: Monitored(s).Maximize);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--lr-schedule {text}: {e.Message}");
        }
        if (s.Get(Warmup) is not { } warmup)
            return schedule;
        if (schedule is OneCycleSchedule)
            throw new UsageException($"--warmup {warmup} and --lr-schedule {text}: one cycle rises from a low rate by itself; drop --warmup or use another schedule.");
        return schedule.WithWarmup(warmup);
    }

    /// <summary>The schedule in words (<c>cosine after a 2-epoch warmup</c>), or null for a constant rate.</summary>
    public string? Describe(OptionSource s)
    {
        string schedule = s.Get(Schedule).Trim();
        return (schedule, s.Get(Warmup)) switch
        {
            ("constant", null) => null,
            ("constant", { } w) => $"after a {w}-epoch warmup",
            (_, null) => schedule,
            (_, { } w) => $"{schedule} after a {w}-epoch warmup",
        };
    }

    /// <summary>Checks the options that need class labels or early stopping against <paramref name="train"/>.</summary>
    /// <exception cref="UsageException">One of them does not apply.</exception>
    public void Check(OptionSource s, Dataset<float> train, bool earlyStopping, string loss)
    {
        if (s.IsSet(MinDelta) && !earlyStopping)
            throw new UsageException($"--min-delta {Format(s.Get(MinDelta))} applies to early stopping; add --early-stopping PATIENCE.");
        if (Monitored(s).Maximize && !train.IsClassification)
            throw new UsageException($"--monitor val_accuracy needs class labels; {train.Name} is a regression dataset, so use --monitor val_loss.");
        if (s.Get(ClassWeight) is { } text)
        {
            if (!train.IsClassification)
                throw new UsageException($"--class-weight {text} needs class labels; {train.Name} is a regression dataset.");
            if (loss is not ("cross-entropy" or "mse+cross-entropy"))
                throw new UsageException($"--class-weight applies to --loss cross-entropy and mse+cross-entropy; received --loss {loss}.");
            if (text.Trim() != "balanced")
                ByName(text, train.ClassNames!);
        }
    }

    /// <summary>The class weights asked for, computed from the training split, or null.</summary>
    public Func<Dataset<float>, IReadOnlyList<double>>? ClassWeights(OptionSource s)
    {
        if (s.Get(ClassWeight) is not { } text)
            return null;
        if (text.Trim() == "balanced")
            return train => ClassWeightsOf(train, "balanced", () => Losses.ClassWeights.Balanced(train.Labels!, train.ClassNames!.Count));
        return train => ByName(text, train.ClassNames!);
    }

    private static double[] ClassWeightsOf(Dataset<float> train, string text, Func<double[]> compute)
    {
        try
        {
            return compute();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--class-weight {text} on {train.Name}: {e.Message}");
        }
    }

    /// <summary><c>name=weight,...</c> in the classes' order; a class not named weighs 1.</summary>
    /// <exception cref="UsageException">A part is not <c>name=weight</c>, a weight is not a positive number, or a name is not a class.</exception>
    private static double[] ByName(string text, IReadOnlyList<string> classes)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.LastIndexOf('=');
            if (equals <= 0 || !double.TryParse(part[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || !(weight > 0) || double.IsInfinity(weight))
                throw new UsageException($"--class-weight: '{part}' is not NAME=WEIGHT with a positive weight; expected balanced or, for example, {classes[0]}=2.");
            if (!weights.TryAdd(part[..equals].Trim(), weight))
                throw new UsageException($"--class-weight: the class '{part[..equals].Trim()}' is given twice.");
        }
        if (weights.Count == 0)
            throw new UsageException($"--class-weight is empty; expected balanced or NAME=WEIGHT pairs such as {classes[0]}=2.");
        try
        {
            return Losses.ClassWeights.ByName(weights, classes);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--class-weight: {e.Message}");
        }
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
