using System.Globalization;
using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The samples <c>nabla evaluate</c> scores: a split of the data the model was trained on, found again from what the
/// model recorded (<see cref="Architecture.HeldOut"/>), or the data's own test part.
/// </summary>
internal static class EvaluationData
{
    /// <summary>The splits <c>--split</c> takes.</summary>
    public static readonly string[] Splits = ["test", "validation", "train", "all"];

    /// <summary>
    /// <paramref name="request"/> with what the model remembers filling what the options leave out: the label column,
    /// the task, the CSV columns it reads (by name) and, for generated data it held rows out of, the seed.
    /// </summary>
    public static DataRequest ForModel(DataRequest request, Architecture architecture, bool labelGiven, bool taskGiven, bool seedGiven) => request with
    {
        Label = labelGiven ? request.Label : architecture.Target ?? request.Label,
        Regression = taskGiven ? request.Regression : !architecture.IsClassifier,
        Seed = seedGiven || architecture.HeldOut is null ? request.Seed : architecture.HeldOut.Seed,
        Columns = architecture.Columns ?? architecture.FeatureNames?.Select(n => new InputColumn { Name = n }).ToList(),
    };

    /// <summary>
    /// The samples of <paramref name="split"/> (null: the model's held-out test rows, else its validation rows, else the
    /// data's own test part, else every row) and a description of them, such as <c>test split: 30 of 150 rows held out with seed 0</c>.
    /// A sample of generated or image data is a row here too.
    /// </summary>
    /// <exception cref="UsageException">The split asked for is not one the model or the data has.</exception>
    /// <exception cref="NablaInputException">The data cannot be loaded or does not fit the model.</exception>
    public static (Dataset<float> Data, string Description) Load(DataRequest request, Architecture architecture, string? split)
    {
        var held = architecture.HeldOut;
        if ((split == "test" || split is null && held?.TestFraction is null) && request.HasTestSplit)
        {
            var own = request.Load<float>(test: true, architecture.ClassNames);
            return (own, $"its test part ({Count(own.Count)})");
        }
        var data = request.Load<float>(test: false, architecture.ClassNames);
        bool same = held is not null && held.Matches(data);
        split ??= same && held!.TestFraction is not null ? "test" : same && held!.ValidationFraction is not null ? "validation" : "all";
        if (split == "all")
            return (data, $"all {Count(data.Count)}{(held is not null && !same ? " (not the data the model was trained on, so none is known to be held out)" : "")}");
        if (held is null)
        {
            if (split == "train")
                return (data, $"all {Count(data.Count)} (the model held none out)");
            throw new UsageException($"--split {split}: the model held no {split} rows out of its data (train with --{split} FRACTION); use --split all or train.");
        }
        if (!same)
            throw new UsageException(
                $"--split {split}: {data.Name} ({Count(data.Count)}) is not the data the model was trained on ({Count(held.Rows)}, SHA-256 {held.Sha256[..12]}…), so its held-out rows are unknown; use --split all.");
        var (train, validation, test) = held.Apply(data);
        var part = split switch
        {
            "train" => train,
            "validation" => validation,
            _ => test,
        } ?? throw new UsageException($"--split {split}: the model held no {split} rows out of its data; it held out {Parts(held)}.");
        return (part, split == "train"
            ? string.Create(CultureInfo.InvariantCulture, $"train split: the {part.Count:N0} of {Count(data.Count)} not held out (seed {held.Seed})")
            : string.Create(CultureInfo.InvariantCulture, $"{split} split: {part.Count:N0} of {Count(data.Count)} held out with seed {held.Seed}"));
    }

    private static string Parts(HeldOut held) =>
        string.Join(" and ", new[] { held.ValidationFraction is null ? null : "validation rows", held.TestFraction is null ? null : "test rows" }.OfType<string>());

    private static string Count(int rows) => string.Create(CultureInfo.InvariantCulture, $"{rows:N0} {(rows == 1 ? "row" : "rows")}");
}
