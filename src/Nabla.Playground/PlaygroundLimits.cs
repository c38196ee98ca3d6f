namespace Nabla.Playground;

/// <summary>
/// The bounds that keep one machine responsive however the playground is used: every request is checked
/// against them and refused with a message that names the bound (docs/playground.md lists them).
/// </summary>
public static class PlaygroundLimits
{
    /// <summary>Open sessions (browser tabs) at once; the next one is refused until a tab closes.</summary>
    public const int MaxSessions = 32;

    /// <summary>Fewest training samples of a generated dataset.</summary>
    public const int MinSamples = 20;

    /// <summary>Most training samples of a generated dataset.</summary>
    public const int MaxSamples = 5_000;

    /// <summary>Largest noise standard deviation of a generated dataset.</summary>
    public const double MaxNoise = 2;

    /// <summary>Most hidden layers.</summary>
    public const int MaxLayers = 6;

    /// <summary>Most units in one hidden layer.</summary>
    public const int MaxUnits = 32;

    /// <summary>Largest learning rate.</summary>
    public const double MaxLearningRate = 10;

    /// <summary>Largest L2 weight decay λ.</summary>
    public const double MaxWeightDecay = 10;

    /// <summary>Largest dropout probability.</summary>
    public const double MaxDropout = 0.9;

    /// <summary>Largest batch size (the full batch is asked for by name).</summary>
    public const int MaxBatchSize = 20_000;

    /// <summary>Largest uploaded CSV file, in bytes (10 MiB).</summary>
    public const long MaxUploadBytes = 10L * 1024 * 1024;

    /// <summary>Most rows of an uploaded CSV file.</summary>
    public const int MaxCsvRows = 20_000;

    /// <summary>Most feature columns of an uploaded CSV file.</summary>
    public const int MaxCsvFeatures = 100;

    /// <summary>Most classes of an uploaded CSV file.</summary>
    public const int MaxClasses = 20;

    /// <summary>Longest settings text (the URL hash) or control request, in characters.</summary>
    public const int MaxSettingsLength = 2_000;

    /// <summary>Optimizer steps one run may take before it stops (its history is kept for the report).</summary>
    public const int MaxIterations = 1_000_000;

    /// <summary>A session no tab has listened to for this long is closed.</summary>
    public static readonly TimeSpan IdleSessionTimeout = TimeSpan.FromSeconds(60);
}
