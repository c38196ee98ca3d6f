using System.CommandLine;
using System.Globalization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Optimizers;
using Nabla.Runs;

namespace Nabla.Cli.Commands;

/// <summary>The options of <c>nabla train</c>, and the <see cref="TrainingRunOptions"/> they describe.</summary>
internal sealed class TrainOptions
{
    /// <summary>The default learning rate: seed 000's network trains in a few hundred full-batch steps (its 1e-6 stays flat).</summary>
    public const double DefaultLearningRate = 0.2;

    /// <summary>The default number of epochs.</summary>
    public const int DefaultEpochs = 300;

    public DataOptions Data { get; } = new();

    public ArchitectureOptions Network { get; } = new();

    public Option<string> Optimizer { get; } = new Option<string>("--optimizer")
    {
        Description = "Optimizer: sgd (with --momentum, --nesterov), adam, adamw (decoupled weight decay: --weight-decay, default 0.01), rmsprop (with --momentum) or adagrad.",
        DefaultValueFactory = _ => "sgd",
    }.AcceptOnlyFromAmong("sgd", "adam", "adamw", "rmsprop", "adagrad");

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
        Description = "Weight decay λ on the weights, not the biases: L2 in the gradient (seed 004's reg_lambda); adamw shrinks the weights by 1 − αλ per step instead (default 0.01 there).",
        HelpName = "LAMBDA",
    }.Within(0, double.PositiveInfinity);

    public Option<int> Epochs { get; } = new Option<int>("--epochs")
    {
        Description = "Passes over the training data.",
        DefaultValueFactory = _ => DefaultEpochs,
        HelpName = "N",
    }.Positive();

    public Option<BatchSize> BatchSize { get; } = new("--batch-size", "--batch_size")
    {
        Description = "Samples per step: a positive integer, or full for full-batch gradient descent.",
        CustomParser = Values.ParseBatchSize,
        DefaultValueFactory = _ => new BatchSize(null),
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

    public Option<string> ScaleTargets { get; } = new Option<string>("--scale-targets", "--scale_targets")
    {
        Description = "Regression: scale the targets for training (fitted on the training split and stored in the model; predictions and R², MAE, RMSE are in the data's units): standard, minmax or none.",
        DefaultValueFactory = _ => "standard",
    }.AcceptOnlyFromAmong("standard", "minmax", "none");

    public Option<double?> Validation { get; } = new("--validation")
    {
        Description = "Fraction of the training data held out for validation, e.g. 0.1 (0: none, to override a recipe).",
        CustomParser = r => Values.Number<double>(r, v => v >= 0 && v < 1, "a fraction in [0, 1) such as 0.1"),
        HelpName = "FRACTION",
    };

    public Option<double?> Test { get; } = new("--test")
    {
        Description = "Fraction held out as the test set, for data that has no test split of its own (a CSV file such as iris), e.g. 0.2 (0: none, to override a recipe).",
        CustomParser = r => Values.Number<double>(r, v => v >= 0 && v < 1, "a fraction in [0, 1) such as 0.2"),
        HelpName = "FRACTION",
    };

    public Option<int?> EarlyStopping { get; } = new("--early-stopping", "--early_stopping")
    {
        Description = "Stop when the monitored validation (or training) value has not improved for this many epochs, and keep the best weights (0: never, to override a recipe).",
        CustomParser = r => Values.Number<int>(r, v => v >= 0, "a patience of at least 1 epoch, or 0 for none"),
        HelpName = "PATIENCE",
    };

    /// <summary>The line saying which recipe filled in the options left out, once <see cref="Run"/> chose one; else null.</summary>
    public string? RecipeLine { get; private set; }

    /// <summary>The options <see cref="Run"/> trained with: those given, then the recipe's when one applied.</summary>
    public OptionSource? Resolved { get; private set; }

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

    public TuningOptions Tuning { get; } = new();

    /// <summary>What a resumed run may set differently from its checkpoint.</summary>
    public IReadOnlyCollection<Option> MayChangeOnResume => [Epochs, Out, Config, .. Control.Overridable];

    /// <summary>
    /// What a checkpoint never stores, and a resumed run never replays from one: where to write (<c>--out</c>,
    /// <c>--memory-log</c>) and how to run this process.
    /// </summary>
    public IReadOnlyCollection<Option> NotStored => [Out, Config, .. Control.NotStored];

    /// <summary>Options naming files or directories to read; a resumed run shows the stored ones before reading them.</summary>
    public IReadOnlyCollection<Option> ReadPaths => [Data.Data, Data.DataDir];

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
        command.Add(ScaleTargets);
        command.Add(Validation);
        command.Add(Test);
        command.Add(EarlyStopping);
        Tuning.AddTo(command);
        command.Add(Out);
        command.Add(Config);
        Control.AddTo(command);
    }

    /// <summary>
    /// The run the options describe: the data loaded, the network checked against it, the optimizer, the outputs in
    /// <paramref name="outDir"/>, and the settings stored in checkpoints.
    /// </summary>
    /// <exception cref="UsageException">An option contradicts another or does not fit the data.</exception>
    public TrainingRunOptions Run(OptionSource s, Command command, string? outDir, ResumePoint? resume)
    {
        ulong seed = s.Get(Seed);
        var request = Data.Request(s, seed);
        var train = request.LoadTrain<float>();
        var test = request.LoadTest<float>(train.ClassNames);
        if (s.Get(Test) is > 0 && test is not null)
            throw new UsageException($"--test holds out a test set from data that has none; {train.Name} has its own test split.");
        if (resume is null)
            (s, RecipeLine) = TrainRecipe.Apply(s, command, this, train, test is not null, seed);
        Resolved = s;
        var (network, loss) = Network.For(train, s);
        network = WithDropout(network, train, loss, s);
        CreateOptimizer(s); // the optimizer's and schedule's usage errors come before any training
        Tuning.CreateSchedule(s);
        Tuning.Check(s, train, s.Get(EarlyStopping) is > 0, loss);
        if (s.IsSet(ScaleTargets) && train.IsClassification)
            throw new UsageException($"--scale-targets {s.Get(ScaleTargets)} applies to regression; {train.Name} has class labels (use --task regression for a numeric target).");
        return new TrainingRunOptions
        {
            Train = train,
            Test = test,
            TestFraction = s.Get(Test) is > 0 and var testFraction ? testFraction : null,
            ValidationFraction = s.Get(Validation) is > 0 and var validation ? validation : null,
            Scaling = Enum.Parse<ScalingKind>(s.Get(Scale), ignoreCase: true),
            TargetScaling = train.IsClassification ? ScalingKind.None : Enum.Parse<ScalingKind>(s.Get(ScaleTargets), ignoreCase: true),
            Network = network,
            Loss = loss,
            Initializer = Initializers.ByName(s.Get(Network.Init)),
            Optimizer = () => CreateOptimizer(s),
            Epochs = s.Get(Epochs),
            BatchSize = s.Get(BatchSize).Samples,
            Seed = seed,
            EarlyStoppingPatience = s.Get(EarlyStopping) is > 0 and var patience ? patience : null,
            EarlyStoppingMinDelta = s.Get(Tuning.MinDelta),
            Monitor = Tuning.Monitored(s),
            Schedule = Tuning.CreateSchedule(s),
            ClassWeights = Tuning.ClassWeights(s),
            InitializeFrom = s.Get(Tuning.InitFrom),
            OnDivergence = Control.Policy(s),
            OutputDirectory = outDir,
            CheckpointEvery = s.Get(Control.CheckpointEvery),
            Resume = resume,
            Settings = ResumedRun.Settings(command, s, NotStored),
            ReportSettings = ReportSettings(s),
        };
    }

    /// <summary>The run's settings as the report lists them after the data.</summary>
    private List<KeyValuePair<string, string>> ReportSettings(OptionSource s)
    {
        static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        var settings = new List<KeyValuePair<string, string>>
        {
            new("optimizer", s.Get(Optimizer)),
            new("learning rate", F(s.Get(LearningRate))),
        };
        if (Tuning.Describe(s) is { } schedule)
            settings.Add(new("learning-rate schedule", schedule));
        if (s.Get(Momentum) is > 0 and var momentum)
            settings.Add(new("momentum", F(momentum) + (s.Get(Nesterov) ? " (Nesterov)" : "")));
        if (WeightDecayOf(s) is > 0 and var decay)
            settings.Add(new(s.Get(Optimizer) == "adamw" ? "decoupled weight decay λ" : "L2 weight decay λ", F(decay)));
        if (s.Get(Tuning.ClassWeight) is { } classWeight)
            settings.Add(new("class weights", classWeight));
        settings.Add(new("batch size", s.Get(BatchSize).Samples is { } b ? b.ToString(CultureInfo.InvariantCulture) : "full batch"));
        settings.Add(new("epochs", s.Get(Epochs).ToString(CultureInfo.InvariantCulture)));
        if (s.Get(EarlyStopping) is > 0 and var patience)
            settings.Add(new("early stopping", string.Create(CultureInfo.InvariantCulture,
                $"patience {patience} on {s.Get(Tuning.Monitor)}{(s.Get(Tuning.MinDelta) is > 0 and var delta ? $", min delta {F(delta)}" : "")}")));
        if (s.Get(Tuning.InitFrom) is { } initFrom)
            settings.Add(new("started from", initFrom));
        settings.Add(new("initialization", s.Get(Network.Init)));
        settings.Add(new("seed", s.Get(Seed).ToString(CultureInfo.InvariantCulture)));
        return settings;
    }

    /// <summary>The optimizer's weight decay: <c>--weight-decay</c>, else 0 (AdamW: PyTorch's 0.01).</summary>
    private double WeightDecayOf(OptionSource s) => s.IsSet(WeightDecay) || s.Get(Optimizer) != "adamw" ? s.Get(WeightDecay) : DefaultAdamWDecay;

    /// <summary>PyTorch's default decoupled weight decay for AdamW.</summary>
    private const double DefaultAdamWDecay = 0.01;

    private Optimizer<float> CreateOptimizer(OptionSource s)
    {
        double rate = s.Get(LearningRate), momentum = s.Get(Momentum), decay = WeightDecayOf(s);
        bool nesterov = s.Get(Nesterov);
        string optimizer = s.Get(Optimizer);
        if (nesterov && optimizer != "sgd")
            throw new UsageException($"--nesterov applies to --optimizer sgd; received --optimizer {optimizer}.");
        if (momentum != 0 && optimizer is not ("sgd" or "rmsprop"))
            throw new UsageException($"--momentum applies to --optimizer sgd and rmsprop; {optimizer} keeps its own moments.");
        switch (optimizer)
        {
            case "adam":
                return new Adam<float>(rate, weightDecay: decay);
            case "adamw":
                return new AdamW<float>(rate, weightDecay: decay);
            case "rmsprop":
                return new RmsProp<float>(rate, weightDecay: decay, momentum: momentum);
            case "adagrad":
                return new Adagrad<float>(rate, weightDecay: decay);
        }
        if (nesterov && momentum == 0)
            throw new UsageException("--nesterov needs --momentum greater than 0; received --momentum 0.");
        return new Sgd<float>(rate, momentum, nesterov, decay);
    }

    /// <summary><paramref name="network"/> with a Dropout after each hidden activation when <c>--dropout</c> asks for one.</summary>
    /// <exception cref="UsageException"><c>--dropout</c> is combined with <c>--network</c>.</exception>
    private IReadOnlyList<Nabla.Layers.LayerSpec> WithDropout(IReadOnlyList<Nabla.Layers.LayerSpec> network, Dataset<float> train, string loss, OptionSource s)
    {
        if (s.Get(Tuning.Dropout) is not { } p || p == 0)
            return network;
        if (s.IsSet(Network.Network))
            throw new UsageException($"--dropout {p.ToString(CultureInfo.InvariantCulture)} adds dropout to the --layers network; with --network, write Dropout({p.ToString(CultureInfo.InvariantCulture)}) where you want it.");
        return Nabla.Models.Architecture.Mlp(train.FeatureCount, s.Get(Network.Layers), train.TargetCount, s.Get(Network.Activation), loss, train.ClassNames, p).Layers;
    }
}
