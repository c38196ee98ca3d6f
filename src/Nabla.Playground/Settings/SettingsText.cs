using System.Globalization;
using Nabla.Playground.Web;

namespace Nabla.Playground.Settings;

/// <summary>
/// The settings as the page's URL hash spells them, TensorFlow Playground style:
/// <c>dataset=spiral&amp;layers=8,8&amp;activation=tanh&amp;learningRate=0.03</c>. Parsing checks every value
/// against <see cref="PlaygroundLimits"/> and whitelists every name; missing keys take their defaults
/// (a generator's own sample count and noise); <see cref="Format(PlaygroundSettings)"/> writes every key, so a link pins the run.
/// </summary>
internal static class SettingsText
{
    /// <summary>The generated datasets with their default training samples and noise (gaussians: as <c>nabla train</c>, 1,000 and none).</summary>
    public static readonly IReadOnlyDictionary<string, (int Samples, double Noise)> Generators = new Dictionary<string, (int, double)>
    {
        ["gaussians"] = (1000, 0),
        ["moons"] = (200, 0.2),
        ["circles"] = (200, 0.05),
        ["spiral"] = (300, 0.1),
        ["xor"] = (200, 0.1),
    };

    private static readonly string[] Activations = ["tanh", "sigmoid", "relu", "leaky-relu"];
    private static readonly string[] Losses = ["cross-entropy", "mse", "mse+cross-entropy"];
    private static readonly string[] Inits = ["xavier", "xavier-uniform", "xavier-uniform-bias", "he", "lecun"];
    private static readonly string[] Optimizers = ["sgd", "adam"];
    private static readonly string[] Scales = ["none", "standard", "minmax"];

    /// <summary>Every key the settings text may hold, in the order <see cref="Format(PlaygroundSettings)"/> writes them.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "dataset", "samples", "noise", "testFraction", "seed", "layers", "activation", "loss", "init", "optimizer",
        "learningRate", "momentum", "weightDecay", "dropout", "batchSize", "scale",
    ];

    /// <summary>Parses <paramref name="text"/> (a URL hash without the <c>#</c>); <paramref name="hasUpload"/> says whether <c>dataset=upload</c> has data.</summary>
    /// <exception cref="PlaygroundRequestException">A key is unknown or repeated, or a value is out of range; the message names both.</exception>
    public static PlaygroundSettings Parse(string text, bool hasUpload)
    {
        var pairs = Split(text);
        var d = new PlaygroundSettings();
        string dataset = Choice(pairs, "dataset", [.. Generators.Keys, PlaygroundSettings.Upload], d.Dataset);
        if (dataset == PlaygroundSettings.Upload && !hasUpload)
            throw new PlaygroundRequestException("dataset=upload needs a CSV file; upload one first (this session has none).");
        var (samples, noise) = Generators.GetValueOrDefault(dataset, (d.Samples, d.Noise));
        string optimizer = Choice(pairs, "optimizer", Optimizers, d.Optimizer);
        double momentum = Number(pairs, "momentum", 0, v => v >= 0 && v < 1, "a number in [0, 1)");
        if (optimizer == "adam" && momentum != 0)
            throw new PlaygroundRequestException($"momentum applies to optimizer=sgd; Adam keeps its own moments. Received momentum={Format(momentum)} with optimizer=adam.");
        var settings = new PlaygroundSettings
        {
            Dataset = dataset,
            Samples = Integer(pairs, "samples", samples, PlaygroundLimits.MinSamples, PlaygroundLimits.MaxSamples),
            Noise = Number(pairs, "noise", noise, v => v >= 0 && v <= PlaygroundLimits.MaxNoise, $"a number in [0, {Format(PlaygroundLimits.MaxNoise)}]"),
            TestFraction = Number(pairs, "testFraction", d.TestFraction, v => v >= 0.05 && v <= 0.5, "a fraction in [0.05, 0.5]"),
            Seed = Seed(pairs),
            Layers = Sizes(pairs),
            Activation = Choice(pairs, "activation", Activations, d.Activation),
            Loss = Choice(pairs, "loss", Losses, d.Loss),
            Init = Choice(pairs, "init", Inits, d.Init),
            Optimizer = optimizer,
            LearningRate = Number(pairs, "learningRate", d.LearningRate, v => v > 0 && v <= PlaygroundLimits.MaxLearningRate, $"a number in (0, {Format(PlaygroundLimits.MaxLearningRate)}]"),
            Momentum = momentum,
            WeightDecay = Number(pairs, "weightDecay", 0, v => v >= 0 && v <= PlaygroundLimits.MaxWeightDecay, $"a number in [0, {Format(PlaygroundLimits.MaxWeightDecay)}]"),
            Dropout = Number(pairs, "dropout", 0, v => v >= 0 && v <= PlaygroundLimits.MaxDropout, $"a probability in [0, {Format(PlaygroundLimits.MaxDropout)}]"),
            BatchSize = BatchSize(pairs, d.BatchSize),
            Scale = Choice(pairs, "scale", Scales, d.Scale),
        };
        if (pairs.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
            throw new PlaygroundRequestException($"Unknown setting '{Shorten(unknown)}'; expected one of: {string.Join(", ", Keys)}.");
        return settings;
    }

    /// <summary>The settings as URL-hash text with every key that applies, in <see cref="Keys"/> order.</summary>
    public static string Format(PlaygroundSettings s)
    {
        var parts = new List<string> { $"dataset={s.Dataset}" };
        if (s.IsUpload)
            parts.Add($"testFraction={Format(s.TestFraction)}");
        else
        {
            parts.Add($"samples={s.Samples.ToString(CultureInfo.InvariantCulture)}");
            if (s.Dataset != "gaussians")
                parts.Add($"noise={Format(s.Noise)}");
        }
        parts.Add($"seed={s.Seed.ToString(CultureInfo.InvariantCulture)}");
        parts.Add($"layers={string.Join(',', s.Layers.Select(u => u.ToString(CultureInfo.InvariantCulture)))}");
        parts.Add($"activation={s.Activation}");
        parts.Add($"loss={s.Loss}");
        parts.Add($"init={s.Init}");
        parts.Add($"optimizer={s.Optimizer}");
        parts.Add($"learningRate={Format(s.LearningRate)}");
        if (s.Optimizer == "sgd")
            parts.Add($"momentum={Format(s.Momentum)}");
        parts.Add($"weightDecay={Format(s.WeightDecay)}");
        parts.Add($"dropout={Format(s.Dropout)}");
        parts.Add($"batchSize={(s.BatchSize is { } b ? b.ToString(CultureInfo.InvariantCulture) : "full")}");
        parts.Add($"scale={s.Scale}");
        return string.Join('&', parts).Replace("+", "%2B", StringComparison.Ordinal);
    }

    /// <summary>A number as the settings, the command and the YAML write it: the shortest text that reads back as the same double.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Split(string text)
    {
        if (text.Length > PlaygroundLimits.MaxSettingsLength)
            throw new PlaygroundRequestException($"Expected settings of at most {PlaygroundLimits.MaxSettingsLength:N0} characters; received {text.Length:N0}.");
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in text.TrimStart('#').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(equals < 0 ? part : part[..equals]);
            string value = equals < 0 ? "" : Uri.UnescapeDataString(part[(equals + 1)..]);
            if (!pairs.TryAdd(key, value))
                throw new PlaygroundRequestException($"The setting '{Shorten(key)}' is given twice; expected each setting once.");
        }
        return pairs;
    }

    private static string Choice(Dictionary<string, string> pairs, string key, IReadOnlyCollection<string> allowed, string fallback)
    {
        if (!pairs.TryGetValue(key, out string? value))
            return fallback;
        return allowed.Contains(value) ? value
            : throw new PlaygroundRequestException($"{key}: expected one of {string.Join(", ", allowed)}; received '{Shorten(value)}'.");
    }

    private static double Number(Dictionary<string, string> pairs, string key, double fallback, Func<double, bool> valid, string expected)
    {
        if (!pairs.TryGetValue(key, out string? text))
            return fallback;
        // Finite only: "NaN", "Infinity" and overflowing literals such as 1e999 are refused like any other bad value.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && valid(value))
            return value;
        throw new PlaygroundRequestException($"{key}: expected {expected}; received '{Shorten(text)}'.");
    }

    private static int Integer(Dictionary<string, string> pairs, string key, int fallback, int min, int max)
    {
        if (!pairs.TryGetValue(key, out string? text))
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
            return value;
        throw new PlaygroundRequestException($"{key}: expected a whole number from {min:N0} to {max:N0}; received '{Shorten(text)}'.");
    }

    private static ulong Seed(Dictionary<string, string> pairs)
    {
        if (!pairs.TryGetValue("seed", out string? text))
            return 0;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed) ? seed
            : throw new PlaygroundRequestException($"seed: expected a whole number from 0 to {ulong.MaxValue}; received '{Shorten(text)}'.");
    }

    private static int[] Sizes(Dictionary<string, string> pairs)
    {
        if (!pairs.TryGetValue("layers", out string? text))
            return [.. new PlaygroundSettings().Layers];
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > PlaygroundLimits.MaxLayers)
            throw new PlaygroundRequestException($"layers: expected at most {PlaygroundLimits.MaxLayers} hidden layers; received {parts.Length:N0}.");
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > PlaygroundLimits.MaxUnits)
                throw new PlaygroundRequestException($"layers: expected sizes from 1 to {PlaygroundLimits.MaxUnits} units, separated by commas (such as 8,8); received '{Shorten(parts[i])}'.");
        return sizes;
    }

    private static int? BatchSize(Dictionary<string, string> pairs, int? fallback)
    {
        if (!pairs.TryGetValue("batchSize", out string? text))
            return fallback;
        if (text == "full")
            return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int size) && size >= 1 && size <= PlaygroundLimits.MaxBatchSize)
            return size;
        throw new PlaygroundRequestException($"batchSize: expected a whole number from 1 to {PlaygroundLimits.MaxBatchSize:N0}, or full; received '{Shorten(text)}'.");
    }

    /// <summary>Echoes at most 40 characters of what was received, so a hostile value cannot flood the message.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
