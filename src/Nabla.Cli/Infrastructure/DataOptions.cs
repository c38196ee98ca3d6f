using System.CommandLine;
using System.Numerics;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Cli;

/// <summary>The options that choose a dataset, shared by <c>train</c>, <c>evaluate</c> and <c>gradcheck</c>.</summary>
internal sealed class DataOptions
{
    /// <summary>A built-in name or a path.</summary>
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Dataset: a built-in name (gaussians, moons, circles, spiral, xor, iris, fashion-mnist, mnist; see 'nabla datasets') or the path of a .csv file or an IDX directory.",
        DefaultValueFactory = _ => "gaussians",
        HelpName = "NAME|PATH",
    };

    /// <summary>Where installed datasets are looked for first.</summary>
    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Directory searched first for installed datasets (then $NABLA_DATA, /usr/share/datasets, ~/.nabla/datasets).",
        HelpName = "DIR",
    };

    /// <summary>Number of samples a synthetic generator makes.</summary>
    public Option<int?> Samples { get; } = new("--samples")
    {
        Description = "Number of samples of a synthetic dataset (gaussians: 1000 for training; the test set has 10000).",
        HelpName = "N",
    };

    /// <summary>Noise of a synthetic generator.</summary>
    public Option<double?> Noise { get; } = new("--noise")
    {
        Description = "Noise standard deviation of a synthetic dataset (moons: 0.2).",
        HelpName = "STD",
    };

    /// <summary>The label column of a CSV file.</summary>
    public Option<string?> Label { get; } = new("--label")
    {
        Description = "CSV: the name of the target column (default: the last column).",
        HelpName = "COLUMN",
    };

    /// <summary>Classification or regression (CSV).</summary>
    public Option<string> Task { get; } = new Option<string>("--task")
    {
        Description = "CSV: classification (string or integer labels) or regression (numeric target).",
        DefaultValueFactory = _ => "classification",
    }.AcceptOnlyFromAmong("classification", "regression");

    /// <summary>The character between a CSV file's fields.</summary>
    public Option<char> Delimiter { get; } = new("--delimiter")
    {
        Description = "CSV: the character between fields: , (the default), ; or tab.",
        CustomParser = Values.ParseDelimiter,
        DefaultValueFactory = _ => ',',
        HelpName = "CHAR",
    };

    /// <summary>The feature columns of a CSV file, by name.</summary>
    public Option<string[]?> Features { get; } = new("--features")
    {
        Description = "CSV: the feature columns by name, in this order: a,b,c (default: every column but the label and --drop). Text columns are one-hot encoded.",
        CustomParser = r => Values.ParseNames(r),
        HelpName = "COLUMNS",
    };

    /// <summary>Columns of a CSV file to leave out.</summary>
    public Option<string[]?> Drop { get; } = new("--drop")
    {
        Description = "CSV: columns to leave out of the features, by name: id,name.",
        CustomParser = r => Values.ParseNames(r),
        HelpName = "COLUMNS",
    };

    /// <summary>The shape of one sample, for data whose rows are images (a CSV file).</summary>
    public Option<SampleShape?> InputShape { get; } = new("--input-shape", "--input_shape")
    {
        Description = "The shape of one sample, C,H,W (such as 1,28,28 or 3,32,32), for a CSV file whose rows are images: convolutions read each row as one (IDX images carry their shape).",
        CustomParser = Values.ParseShape,
        HelpName = "C,H,W",
    };

    /// <summary>Adds the options to <paramref name="command"/>; <paramref name="withSamples"/> adds <c>--samples</c>, <paramref name="withColumns"/> <c>--features</c> and <c>--drop</c>.</summary>
    public void AddTo(Command command, bool withSamples = true, bool withColumns = true)
    {
        command.Add(Data);
        command.Add(DataDir);
        if (withSamples)
            command.Add(Samples);
        command.Add(Noise);
        command.Add(Label);
        command.Add(Task);
        command.Add(Delimiter);
        command.Add(InputShape);
        if (withColumns)
        {
            command.Add(Features);
            command.Add(Drop);
        }
    }

    /// <summary>What the options ask for; <paramref name="withColumns"/> reads <c>--features</c> and <c>--drop</c> (for a command that has them).</summary>
    /// <exception cref="UsageException"><c>--features</c> and <c>--drop</c> are both given.</exception>
    public DataRequest Request(OptionSource options, ulong seed, bool withSamples = true, bool withColumns = true)
    {
        // An option of names that is not given reads as an empty list.
        var (features, drop) = withColumns && options.IsSet(Features) ? (options.Get(Features), null as string[]) : (null, null);
        if (withColumns && options.IsSet(Drop))
            drop = options.Get(Drop);
        if (features is not null && drop is not null)
            throw new UsageException("--features and --drop both choose the feature columns; give the columns to keep (--features) or those to leave out (--drop).");
        return new DataRequest(options.Get(Data), options.Get(DataDir), withSamples ? options.Get(Samples) : null, options.Get(Noise),
            options.Get(Label), options.Get(Task) == "regression", seed)
        {
            Delimiter = options.Get(Delimiter),
            Features = features,
            Drop = drop,
            Shape = options.Get(InputShape),
        };
    }
}

/// <summary>A dataset to load, and the one place that turns it into samples (through <see cref="DatasetCatalog"/>).</summary>
internal sealed record DataRequest(string NameOrPath, string? DataDir, int? Samples, double? Noise, string? Label, bool Regression, ulong Seed)
{
    /// <summary>CSV: the character between fields.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>CSV: the feature columns by name, or null.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>CSV: the columns to leave out, or null.</summary>
    public IReadOnlyList<string>? Drop { get; init; }

    /// <summary>CSV: a trained model's raw columns, which pick and encode the features; null: choose by <see cref="Features"/> and <see cref="Drop"/>.</summary>
    public IReadOnlyList<InputColumn>? Columns { get; init; }

    /// <summary>The size of the test set of a synthetic dataset (seed 000: a held-out set of 10,000 points).</summary>
    public const int SyntheticTestSamples = 10_000;

    /// <summary>The default number of training samples of the two Gaussians.</summary>
    public const int GaussiansTrainSamples = 1_000;

    /// <summary>The shape of one sample (<c>--input-shape</c>), or null for the data's own.</summary>
    public SampleShape? Shape { get; init; }

    private string Key => NameOrPath.Trim().ToLowerInvariant();

    /// <summary>True for the generated datasets, whose test set is drawn from a different seed.</summary>
    private bool IsSynthetic => DatasetCatalog.SyntheticNames.Contains(Key);

    /// <summary>True for datasets that ship a test split (IDX directories and the installed image datasets).</summary>
    private bool HasTestFiles => DatasetCatalog.ImageNames.Contains(Key) || Directory.Exists(NameOrPath) || new DatasetCatalog(DataDir).Locate(NameOrPath.Trim()) is not null;

    /// <summary>The training part, with labels mapped onto <paramref name="classNames"/> when given.</summary>
    public Dataset<T> LoadTrain<T>(IReadOnlyList<string>? classNames = null) where T : unmanaged, IFloatingPointIeee754<T> => Load<T>(test: false, classNames);

    /// <summary>The held-out test part, or null when the dataset has none (a CSV file).</summary>
    public Dataset<T>? LoadTest<T>(IReadOnlyList<string>? classNames = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        HasTestSplit ? Load<T>(test: true, classNames) : null;

    /// <summary>True when the dataset has a test part of its own: generated data, IDX files.</summary>
    public bool HasTestSplit => IsSynthetic || HasTestFiles;

    /// <summary>
    /// The training or test part: synthetic test sets have <see cref="SyntheticTestSamples"/> samples drawn from a
    /// seed derived from <see cref="Seed"/>; IDX datasets use their t10k files; a CSV file is loaded whole either way.
    /// </summary>
    public Dataset<T> Load<T>(bool test, IReadOnlyList<string>? classNames) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int? samples = test ? SyntheticTestSamples : Samples ?? (Key == "gaussians" ? GaussiansTrainSamples : null);
        var options = new DatasetOptions
        {
            Samples = IsSynthetic ? samples : null,
            Noise = Noise,
            Seed = test ? TestSeed(Seed) : Seed,
            Split = test ? DataSplit.Test : DataSplit.Train,
            Label = Label,
            Regression = Regression,
            ClassNames = classNames,
            Delimiter = Delimiter,
            Features = Features,
            Drop = Drop,
            Columns = Columns,
        };
        var data = new DatasetCatalog(DataDir).Load<T>(NameOrPath, options);
        if (Shape is not { } shape)
            return data;
        return shape.Size == data.FeatureCount
            ? data.WithSampleShape(shape)
            : throw new UsageException($"--input-shape {shape} holds {shape.Size} values per sample; {data.Name} has {data.FeatureCount} feature columns.");
    }

    /// <summary>The seed of a synthetic test set: different from the training seed, and fixed by it.</summary>
    private static ulong TestSeed(ulong seed) => seed ^ 0x5EED_7E57UL;
}
