using System.CommandLine;
using System.Numerics;
using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The options that take a trained model's samples from a dataset instead of a file of raw features: <c>predict --data</c>
/// (every sample of the split) and <c>trace --data</c> (one of them).
/// </summary>
internal sealed class SampleSource
{
    /// <summary>The dataset: a built-in name, an IDX directory or a CSV file.</summary>
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Take the samples from a dataset: a built-in name (fashion-mnist, mnist, iris, moons…), an IDX directory or a CSV file (its label column is left out).",
        HelpName = "NAME|PATH",
    };

    /// <summary>Which part of the dataset.</summary>
    public Option<string> Split { get; } = new Option<string>("--split")
    {
        Description = "With --data: test (IDX t10k files, or a synthetic test set drawn from a different seed) or train. A CSV file is read whole.",
        DefaultValueFactory = _ => "test",
    }.AcceptOnlyFromAmong("test", "train");

    /// <summary>Where installed datasets are looked for first.</summary>
    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "With --data: the directory searched first for installed datasets.",
        HelpName = "DIR",
    };

    /// <summary>The seed of a synthetic dataset.</summary>
    public Option<ulong> Seed { get; } = new("--seed") { Description = "With --data: the seed of a synthetic dataset (the one used to train).", HelpName = "N" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Data);
        command.Add(Split);
        command.Add(DataDir);
        command.Add(Seed);
    }

    /// <summary>
    /// The split of <c>--data</c> with its features checked and scaled for <paramref name="architecture"/> and its labels numbered
    /// by the model's classes.
    /// </summary>
    /// <exception cref="NablaInputException">The data is missing or malformed, or does not fit the model.</exception>
    public Dataset<T> Load<T>(ParseResult parse, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = parse.GetValue(Data) ?? throw new InvalidOperationException("--data is not given.");
        var request = new DataRequest(name, parse.GetValue(DataDir), null, null, null, !architecture.IsClassifier, parse.GetValue(Seed));
        var data = ModelInputs.Prepare(request.Load<T>(test: parse.GetValue(Split) == "test", architecture.ClassNames), architecture);
        ModelInputs.CheckTargets(data, architecture);
        return data;
    }
}
