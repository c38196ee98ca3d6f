using System.Globalization;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Runs;

/// <summary>
/// A training recipe chosen from the data's kind and size, so data alone trains a good model (<c>nabla train --data X</c>):
/// for tabular data (features in columns) scikit-learn's <c>MLPClassifier</c> defaults made reliable (one ReLU layer of
/// 100 units and Adam; inputs standardised only when the columns' spreads differ more than tenfold; below 200 training
/// rows scikit-learn's own full-batch training, otherwise mini-batches with early stopping on a validation split, the
/// best epoch kept); for images (data whose loader scaled the pixels, stored in the model) an MLP of two ReLU layers with
/// dropout, AdamW and a cosine schedule. Data without a test part of its own holds one out. Each value is a plain
/// setting, so any of them can be changed (<c>recipe with { Epochs = 50 }</c>); <see cref="Options"/> turns it into a run.
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

    /// <summary>The initializer's name (<see cref="Initializers.ByName"/>): He for ReLU, scikit-learn's Glorot-uniform weights and biases for small tables.</summary>
    public string Init { get; init; } = "he";

    /// <summary>The optimizer: <c>adam</c> or <c>adamw</c>.</summary>
    public required string Optimizer { get; init; }

    /// <summary>The learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>The weight decay on the weights (decoupled for AdamW, L2 added to the gradient for Adam); 0 for none.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The learning-rate schedule (<see cref="ScheduleSpelling"/>).</summary>
    public string Schedule { get; init; } = "constant";

    /// <summary>Samples per step; null for the full batch.</summary>
    public required int? BatchSize { get; init; }

    /// <summary>Most epochs (early stopping may end sooner).</summary>
    public required int Epochs { get; init; }

    /// <summary>The input scaling; images keep the pixel scale their loader applied.</summary>
    public ScalingKind Scaling { get; init; } = ScalingKind.None;

    /// <summary>The fraction held out for validation; 0 for none (early stopping then watches the training loss).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>The fraction held out as the test set, for data without a test part; null when the data has one.</summary>
    public double? TestFraction { get; init; }

    /// <summary>
    /// Early stopping's patience on the validation loss (the training loss without a validation split), keeping the best
    /// epoch's weights; null: none.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Early stopping counts an epoch as better only when it beats the best loss by more than this.</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>
    /// Tabular data: the largest over the smallest standard deviation of the training rows' non-constant columns (1 with
    /// fewer than two), which chose <see cref="Scaling"/>; null for images.
    /// </summary>
    public double? Spread { get; init; }

    /// <summary>Tabular data: the rows trained on (the data less its test hold-out), which chose the batches and stopping; null for images.</summary>
    public int? TrainingRows { get; init; }

    /// <summary>Samples per step of the tabular recipe from <see cref="SmallTable"/> training rows on.</summary>
    public const int TabularBatch = 32;

    /// <summary>Tabular inputs are standardised when their columns' <see cref="Spread"/> is more than this.</summary>
    public const double SpreadToStandardise = 10;

    /// <summary>Below this many <see cref="TrainingRows"/> (scikit-learn's batch size), a table trains scikit-learn's way: its initialisation and L2, full batch.</summary>
    public const int SmallTable = 200;

    /// <summary>
    /// scikit-learn's L2 penalty <c>alpha</c>: its gradient adds <c>alpha·w / batch</c>, which on a full batch is Adam's
    /// (coupled) weight decay <c>alpha / rows</c>, the small-table recipe's.
    /// </summary>
    public const double SmallTableL2 = 1e-4;

    /// <summary>The fraction a recipe holds out as the test set of data that has none.</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>
    /// The recipe for <paramref name="train"/>: images when its loader scaled pixels (<see cref="Dataset{T}.PixelScale"/>),
    /// else tabular, decided from the rows the run will train on (never the test rows).
    /// </summary>
    /// <param name="train">The data the run is given (before any hold-out).</param>
    /// <param name="hasTestSet">The data comes with a test part, so none is held out.</param>
    /// <param name="seed">The run's seed: a tabular recipe decides from the rows the run trains on, so it holds out the same test rows first.</param>
    /// <param name="testFraction">
    /// The fraction held out as the test set when the data has none (0: none); <see cref="DefaultTestFraction"/> unless the
    /// caller chose another. Ignored when <paramref name="hasTestSet"/>.
    /// </param>
    public static Recipe For(Dataset<float> train, bool hasTestSet, ulong seed = 0, double testFraction = DefaultTestFraction)
    {
        ArgumentNullException.ThrowIfNull(train);
        double? heldOut = hasTestSet || testFraction == 0 ? null : testFraction;
        var recipe = train.PixelScale is not null ? Images(train) : Tabular(train, TrainingRowsOf(train, seed, heldOut));
        return recipe with { TestFraction = heldOut };
    }

    /// <summary>
    /// The rows a run trains on (validation included): all of <paramref name="data"/>, or what the test split
    /// <c>HeldOut.Apply</c> makes leaves, found the same way without copying the data (its one-hot targets can be large).
    /// </summary>
    private static int[] TrainingRowsOf(Dataset<float> data, ulong seed, double? testFraction) => testFraction is { } fraction
        ? Split.Indices(data, fraction, 0, seed ^ HeldOut.TestSalt, stratified: data.IsClassification).Train
        : [.. Enumerable.Range(0, data.Count)];

    /// <summary>
    /// Features in columns: one ReLU layer of 100 units (scikit-learn's default) and Adam at 1e-3. Standardised when the
    /// columns' spreads differ more than tenfold, else as they are. Below 200 training rows scikit-learn's
    /// <c>MLPClassifier</c> training: Glorot-uniform weights and biases, its L2 (<see cref="SmallTableL2"/> over the rows),
    /// full batch, 200 epochs, stopping when the training loss has not improved by 1e-4 for 10; otherwise He, batches of
    /// 32, up to 500 epochs with early stopping after 20 without a better loss on a 10 % validation split.
    /// </summary>
    /// <remarks>
    /// Measured in docs/recipes.md (issue 14, 10 splits each): standardising costs iris 0.02–0.03 in both libraries, its
    /// centimetres sharing one spread (4.1×), while the tables in mixed units need it (wine 2,530×, breast cancer
    /// 215,171×). On small tables full batches and Glorot-uniform are what scikit-learn's 0.99 rides on: He's large
    /// weights for 4 inputs leave a seed at chance, batches of 32 cost 0.01. Together iris goes from 0.943 to 0.980 and
    /// the one-unit generated table from 0.940 to 0.950, wine and generated_units unchanged within noise; tables of 200
    /// rows and more keep the mini-batches (a full batch was not better on 480 rows) and train exactly as before. Over 200
    /// iris splits scikit-learn's biases and L2 close the rest: 0.9752 → 0.9773, scikit-learn 0.9783.
    /// </remarks>
    private static Recipe Tabular(Dataset<float> train, int[] rows)
    {
        double spread = SpreadOf(train.Features, rows);
        var recipe = new Recipe
        {
            Kind = "tabular",
            Hidden = [100],
            Loss = train.IsClassification ? "cross-entropy" : "mse",
            Optimizer = "adam",
            BatchSize = TabularBatch,
            Epochs = 500,
            Scaling = spread > SpreadToStandardise ? ScalingKind.Standard : ScalingKind.None,
            EarlyStoppingPatience = 20,
            Spread = spread,
            TrainingRows = rows.Length,
        };
        return rows.Length >= SmallTable ? recipe : recipe with
        {
            Init = "xavier-uniform-bias",
            WeightDecay = SmallTableL2 / rows.Length,
            BatchSize = null,
            Epochs = 200,
            ValidationFraction = 0,
            EarlyStoppingPatience = 10,
            EarlyStoppingMinDelta = 1e-4,
        };
    }

    /// <summary>
    /// The largest over the smallest standard deviation of the columns that are not constant, over <paramref name="rows"/>;
    /// 1 when fewer than two vary. Summed in order in float64, so the same rows give the same value on every machine.
    /// </summary>
    private static double SpreadOf(Matrix<float> features, int[] rows)
    {
        double smallest = double.PositiveInfinity, largest = 0;
        for (int column = 0; column < features.Cols; column++)
        {
            double sum = 0, squares = 0;
            foreach (int row in rows)
                sum += features[row, column];
            double mean = sum / rows.Length;
            foreach (int row in rows)
                squares += (features[row, column] - mean) * (features[row, column] - mean);
            double deviation = Math.Sqrt(squares / rows.Length);
            // A constant column's float64 mean is its value exactly (n copies of a float sum exactly), so its deviation is 0.
            if (deviation == 0)
                continue;
            smallest = Math.Min(smallest, deviation);
            largest = Math.Max(largest, deviation);
        }
        return largest > 0 ? largest / smallest : 1;
    }

    /// <summary>
    /// Images as rows of pixels: 256 and 128 ReLU units with dropout 0.2, AdamW (λ 1e-4) at 1e-3 on a cosine schedule,
    /// batches of 128, 15 epochs. Not a CNN: seed 002's CNN reaches 0.9246 on Fashion-MNIST but trained 648 s for it
    /// (examples/cnn-letters), where this reaches 0.8912 in 14 s for the whole command (both on 2026-11-29);
    /// <c>--network</c> trains a CNN when that is worth the time.
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
            ValidationFraction = ValidationFraction > 0 ? ValidationFraction : null,
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
            EarlyStoppingMinDelta = EarlyStoppingMinDelta,
        };
    }

    /// <summary>
    /// Why a tabular recipe chose its scaling and training (<c>the columns share one spread (4.1x): not standardised; 120 training
    /// rows, fewer than 200: scikit-learn's full-batch training</c>); null for images.
    /// </summary>
    public string? Reason
    {
        get
        {
            if ((Spread, TrainingRows) is not ({ } spread, { } rows))
                return null;
            var c = CultureInfo.InvariantCulture;
            string scaling = spread > SpreadToStandardise
                ? string.Create(c, $"the columns' spreads differ {spread:#,0.#}x: standardised")
                : string.Create(c, $"the columns share one spread ({spread:#,0.#}x): not standardised");
            string training = rows < SmallTable
                ? string.Create(c, $"{rows:N0} training rows, fewer than {SmallTable}: scikit-learn's full-batch training")
                : string.Create(c, $"{rows:N0} training rows: mini-batches with a validation split");
            return $"{scaling}; {training}";
        }
    }

    /// <summary>The recipe as <c>nabla train</c> options, in the order they are documented (<c>--scale standard --layers 100 …</c>).</summary>
    public IReadOnlyList<string> ToArguments()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var arguments = new List<string>();
        // Images keep the scale their loader applied, so only a table says how its inputs are (or are not) scaled.
        if (Scaling != ScalingKind.None || Kind != "images")
            arguments.AddRange(["--scale", Scaling.ToString().ToLowerInvariant()]);
        arguments.AddRange(["--layers", string.Join(',', Hidden), "--activation", Activation]);
        if (Dropout > 0)
            arguments.AddRange(["--dropout", F(Dropout)]);
        arguments.AddRange(["--init", Init, "--loss", Loss, "--optimizer", Optimizer, "--learning-rate", F(LearningRate)]);
        if (WeightDecay > 0)
            arguments.AddRange(["--weight-decay", F(WeightDecay)]);
        if (Schedule != "constant")
            arguments.AddRange(["--lr-schedule", Schedule]);
        arguments.AddRange(["--batch-size", BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "full", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(["--validation", F(ValidationFraction)]);
        if (EarlyStoppingPatience is { } patience)
            arguments.AddRange(["--early-stopping", patience.ToString(CultureInfo.InvariantCulture)]);
        if (EarlyStoppingMinDelta > 0)
            arguments.AddRange(["--min-delta", F(EarlyStoppingMinDelta)]);
        if (TestFraction is { } test)
            arguments.AddRange(["--test", F(test)]);
        return arguments;
    }
}
