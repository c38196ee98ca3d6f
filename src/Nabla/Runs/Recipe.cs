using System.Globalization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;

namespace Nabla.Runs;

/// <summary>
/// A training recipe chosen from the data's kind and size, so data alone trains a good model (<c>nabla train --data X</c>):
/// for tabular data (features in columns) scikit-learn's <c>MLPClassifier</c> defaults made reliable (standardised inputs,
/// one ReLU layer of 100 units, Adam, mini-batches, early stopping on a validation split, the best epoch kept); for
/// images (data whose loader scaled the pixels, stored in the model) an MLP of two ReLU layers with dropout, AdamW and a
/// cosine schedule. Data without a test part of its own holds one out. Each value is a plain setting, so any of them can
/// be changed (<c>recipe with { Epochs = 50 }</c>); <see cref="Options"/> turns it into a run.
/// </summary>
/// <remarks>The measurements behind the choices are in docs/recipes.md.</remarks>
public sealed record Recipe
{
    /// <summary>What the recipe is for: <c>tabular</c> or <c>images</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The hidden layer sizes of the multilayer perceptron.</summary>
    public required IReadOnlyList<int> Hidden { get; init; }

    /// <summary>The hidden activation.</summary>
    public string Activation { get; init; } = "relu";

    /// <summary>Dropout after every hidden activation (0: none).</summary>
    public double Dropout { get; init; }

    /// <summary>The loss: <c>cross-entropy</c> for classes, <c>mse</c> for regression.</summary>
    public required string Loss { get; init; }

    /// <summary>The weight initializer's name (<see cref="Initializers.ByName"/>): He for ReLU.</summary>
    public string Init { get; init; } = "he";

    /// <summary>The optimizer: <c>adam</c> or <c>adamw</c>.</summary>
    public required string Optimizer { get; init; }

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The weight decay (decoupled for AdamW); 0 for none.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The learning-rate schedule (<see cref="ScheduleSpelling"/>).</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>Samples per step.</summary>
    public required int BatchSize { get; init; }

    /// <summary>Most epochs (early stopping may end sooner).</summary>
    public required int Epochs { get; init; }

    /// <summary>The input scaling; images keep the pixel scale their loader applied.</summary>
    public ScalingKind Scaling { get; init; } = ScalingKind.None;

    /// <summary>The fraction held out for validation.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>The fraction held out as the test set, for data without a test part; null when the data has one.</summary>
    public double? TestFraction { get; init; }

    /// <summary>Early stopping's patience on the validation loss, keeping the best epoch's weights; null: none.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Samples per step of the tabular recipe: scikit-learn's 200 is one step per epoch on small data, too few.</summary>
    public const int TabularBatch = 32;

    /// <summary>
    /// The recipe for <paramref name="train"/>: images when its loader scaled pixels (<see cref="Dataset{T}.PixelScale"/>),
    /// else tabular. <paramref name="hasTestSet"/>: the data comes with a test part, so none is held out.
    /// </summary>
    public static Recipe For(Dataset<float> train, bool hasTestSet)
    {
        ArgumentNullException.ThrowIfNull(train);
        var recipe = train.PixelScale is not null ? Images(train) : Tabular(train);
        return hasTestSet ? recipe : recipe with { TestFraction = 0.2 };
    }

    /// <summary>
    /// Features in columns: standardised, one ReLU layer of 100 units (scikit-learn's default), Adam at 1e-3 on batches of
    /// 32, up to 500 epochs with early stopping after 20 without a better validation loss.
    /// </summary>
    private static Recipe Tabular(Dataset<float> train) => new()
    {
        Kind = "tabular",
        Hidden = [100],
        Loss = train.IsClassification ? "cross-entropy" : "mse",
        Optimizer = "adam",
        BatchSize = Math.Min(TabularBatch, Math.Max(1, train.Count / 4)),
        Epochs = 500,
        Scaling = ScalingKind.Standard,
        EarlyStoppingPatience = 20,
    };

    /// <summary>
    /// Images as rows of pixels: 256 and 128 ReLU units with dropout 0.2, AdamW (λ 1e-4) at 1e-3 on a cosine schedule,
    /// batches of 128, 15 epochs. (A small CNN takes this place once the convolution layers are in the library.)
    /// </summary>
    private static Recipe Images(Dataset<float> train) => new()
    {
        Kind = "images",
        Hidden = [256, 128],
        Dropout = 0.2,
        Loss = train.IsClassification ? "cross-entropy" : "mse",
        Optimizer = "adamw",
        WeightDecay = 1e-4,
        Schedule = "cosine",
        BatchSize = 128,
        Epochs = 15,
    };

    /// <summary>The run the recipe describes on <paramref name="train"/> (and <paramref name="test"/>, when the data has a test part).</summary>
    /// <exception cref="ArgumentException">The recipe's settings do not fit the data.</exception>
    public TrainingRunOptions Options(Dataset<float> train, Dataset<float>? test = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        var mlp = Architecture.Mlp(train.FeatureCount, Hidden, train.TargetCount, Activation, Loss, train.ClassNames, Dropout);
        return new TrainingRunOptions
        {
            Train = train,
            Test = test,
            TestFraction = test is null ? TestFraction : null,
            ValidationFraction = ValidationFraction,
            Scaling = Scaling,
            TargetScaling = train.IsClassification ? ScalingKind.None : ScalingKind.Standard,
            Network = mlp.Layers,
            Loss = Loss,
            Initializer = Initializers.ByName(Init),
            Optimizer = Optimizer switch
            {
                "adamw" => () => new AdamW<float>(LearningRate, weightDecay: WeightDecay),
                "adam" => () => new Adam<float>(LearningRate, weightDecay: WeightDecay),
                _ => throw new ArgumentException($"A recipe's optimizer is adam or adamw; received '{Optimizer}'."),
            },
            Schedule = ScheduleSpelling.Parse(Schedule),
            Epochs = Epochs,
            BatchSize = BatchSize,
            EarlyStoppingPatience = EarlyStoppingPatience,
        };
    }

    /// <summary>The recipe as <c>nabla train</c> options, in the order they are documented (<c>--scale standard --layers 100 …</c>).</summary>
    public IReadOnlyList<string> ToArguments()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var arguments = new List<string>();
        if (Scaling != ScalingKind.None)
            arguments.AddRange(["--scale", Scaling.ToString().ToLowerInvariant()]);
        arguments.AddRange(["--layers", string.Join(',', Hidden), "--activation", Activation]);
        if (Dropout > 0)
            arguments.AddRange(["--dropout", F(Dropout)]);
        arguments.AddRange(["--init", Init, "--loss", Loss, "--optimizer", Optimizer, "--learning-rate", F(LearningRate)]);
        if (WeightDecay > 0)
            arguments.AddRange(["--weight-decay", F(WeightDecay)]);
        if (Schedule != "constant")
            arguments.AddRange(["--lr-schedule", Schedule]);
        arguments.AddRange(["--batch-size", BatchSize.ToString(CultureInfo.InvariantCulture), "--epochs", Epochs.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(["--validation", F(ValidationFraction)]);
        if (EarlyStoppingPatience is { } patience)
            arguments.AddRange(["--early-stopping", patience.ToString(CultureInfo.InvariantCulture)]);
        if (TestFraction is { } test)
            arguments.AddRange(["--test", F(test)]);
        return arguments;
    }
}
