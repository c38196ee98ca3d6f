using System.Text;
using Nabla.Data;
using Nabla.Playground.Settings;
using Nabla.Playground.Web;
using Nabla.Tensors;

namespace Nabla.Playground.Engine;

/// <summary>An uploaded CSV file as the CLI's CSV reader parsed it, before any split or scaling.</summary>
/// <param name="FileName">The file name the page gave, reduced to safe characters (it names the file in the <c>nabla train</c> command).</param>
/// <param name="Data">Every row, features as written, labels as classes.</param>
internal sealed record UploadedCsv(string FileName, Dataset<float> Data);

/// <summary>The data of one run, split and scaled as <c>nabla train</c> would, plus its raw training features for display.</summary>
/// <param name="Name">The dataset name (<c>spiral</c>) or the uploaded file name.</param>
/// <param name="Train">The training samples as the model sees them (scaled when <paramref name="Scaling"/> is set).</param>
/// <param name="Test">The held-out samples, scaled alike.</param>
/// <param name="Scaling">The input scaling fitted on the training split, or null.</param>
/// <param name="HeldOut">What was held out of an upload as the test set (as <c>nabla train --test</c> records it), or null.</param>
internal sealed record RunData(string Name, Dataset<float> Train, Dataset<float> Test, Scaling? Scaling, HeldOut? HeldOut = null);

/// <summary>
/// The one place the playground loads data through the library: generated datasets through
/// <see cref="DatasetCatalog"/> with <c>nabla train</c>'s seeds and test-set size, uploads through
/// <see cref="CsvLoader"/> (the CLI's reader) with its <c>--test</c> split, then <see cref="Scaling"/>.
/// </summary>
internal static class EngineData
{
    /// <summary>The test set of generated data: <c>nabla train</c>'s 10,000 samples (its <c>DataRequest.SyntheticTestSamples</c>).</summary>
    public const int SyntheticTestSamples = 10_000;

    /// <summary>
    /// <c>nabla train</c>'s test seed for generated data (its <c>DataRequest.TestSeed</c>: seed XOR 0x5EED7E57). Copied, not
    /// shared, because the CLI references this project; the end-to-end test checks that <c>nabla train</c> with the
    /// exported command writes the same model bytes.
    /// </summary>
    private const ulong TestSeedSalt = 0x5EED_7E57UL;

    /// <summary>Loads the data <paramref name="settings"/> describe; <paramref name="upload"/> is used for <c>dataset=upload</c>.</summary>
    public static RunData Load(PlaygroundSettings settings, UploadedCsv? upload)
    {
        Dataset<float> train, test;
        string name;
        HeldOut? heldOut = null;
        if (settings.IsUpload)
        {
            var csv = upload ?? throw new PlaygroundRequestException("dataset=upload needs a CSV file; upload one first.");
            name = csv.FileName;
            // As nabla train --test splits it and records it.
            heldOut = HeldOut.Of(csv.Data, settings.Seed, validationFraction: null, settings.TestFraction);
            Dataset<float>? heldOutTest;
            (train, _, heldOutTest) = heldOut.Apply(csv.Data);
            test = heldOutTest!;
        }
        else
        {
            name = settings.Dataset;
            var catalog = new DatasetCatalog();
            double? noise = settings.Dataset == "gaussians" ? null : settings.Noise;
            train = catalog.Load<float>(name, new DatasetOptions { Samples = settings.Samples, Noise = noise, Seed = settings.Seed });
            test = catalog.Load<float>(name, new DatasetOptions
            {
                Samples = SyntheticTestSamples,
                Noise = noise,
                Seed = settings.Seed ^ TestSeedSalt,
                Split = DataSplit.Test,
                ClassNames = train.ClassNames,
            });
        }
        var scaling = settings.Scale switch
        {
            "standard" => Scaling.Fit(ScalingKind.Standard, train.Features),
            "minmax" => Scaling.Fit(ScalingKind.MinMax, train.Features),
            _ => null,
        };
        return new RunData(name, Scaled(train, scaling), Scaled(test, scaling), scaling, heldOut);
    }

    /// <summary>
    /// Parses an uploaded CSV file with the CLI's reader (the last column is the class label) and checks it
    /// against <see cref="PlaygroundLimits"/>.
    /// </summary>
    /// <exception cref="PlaygroundRequestException">The file is malformed (the reader's message, with line and column) or too large.</exception>
    public static UploadedCsv ParseUpload(byte[] bytes, string? fileName)
    {
        string name = SafeFileName(fileName);
        // As File.ReadAllText reads the CLI's files: UTF-8 unless a byte-order mark says otherwise.
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        string text = reader.ReadToEnd();
        Dataset<float> data;
        try
        {
            data = CsvLoader.Parse<float>(text, name);
        }
        catch (NablaInputException e)
        {
            throw new PlaygroundRequestException(e.Message);
        }
        if (data.Count > PlaygroundLimits.MaxCsvRows)
            throw new PlaygroundRequestException($"{name}: expected at most {PlaygroundLimits.MaxCsvRows:N0} data rows; received {data.Count:N0}.");
        if (data.FeatureCount > PlaygroundLimits.MaxCsvFeatures)
            throw new PlaygroundRequestException($"{name}: expected at most {PlaygroundLimits.MaxCsvFeatures} feature columns; received {data.FeatureCount:N0}.");
        int classes = data.ClassNames!.Count;
        if (classes > PlaygroundLimits.MaxClasses)
            throw new PlaygroundRequestException(
                $"{name}: expected at most {PlaygroundLimits.MaxClasses} classes in the last column; received {classes:N0} distinct labels. The playground classifies: is the last column a number to predict rather than a class?");
        if (data.Count < 10)
            throw new PlaygroundRequestException($"{name}: expected at least 10 data rows to split into training and test samples; received {data.Count}.");
        return new UploadedCsv(name, data);
    }

    /// <summary>The file name without any directory, in letters, digits, '.', '-' and '_' only, ending in .csv (data.csv when nothing is left).</summary>
    public static string SafeFileName(string? fileName)
    {
        string bare = (fileName ?? "").Replace('\\', '/');
        bare = bare[(bare.LastIndexOf('/') + 1)..];
        var safe = new StringBuilder();
        foreach (char c in bare)
            if (safe.Length < 60 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && safe.Length > 0)))
                safe.Append(c);
        string name = safe.ToString();
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            name = name[..^4];
        return (name.Trim('.').Length == 0 ? "data" : name.Trim('.')) + ".csv";
    }

    /// <summary>Points of the plane (or of the PCA plane) in raw units, turned into what the model takes.</summary>
    public static Matrix<float> ToModelInputs(Matrix<float> raw, Scaling? scaling) => scaling is null ? raw : scaling.Apply(raw.Clone());

    private static Dataset<float> Scaled(Dataset<float> data, Scaling? scaling)
    {
        if (scaling is null)
            return data;
        return data.WithFeatures(scaling.Apply(data.Features.Clone()));
    }
}
