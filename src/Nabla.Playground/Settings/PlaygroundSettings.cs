namespace Nabla.Playground.Settings;

/// <summary>
/// Everything that decides a playground run, and nothing else: the same settings give the same data, the same
/// initial weights and the same training, bit for bit, and map one to one onto <c>nabla train</c> options
/// (see <see cref="TrainCommandText"/>). The page keeps them in its URL hash (<see cref="SettingsText"/>).
/// </summary>
internal sealed record PlaygroundSettings
{
    /// <summary>A synthetic generator's name, or <see cref="Upload"/> for the CSV file the page sent.</summary>
    public string Dataset { get; init; } = "spiral";

    /// <summary>Training samples a generator makes (ignored for an upload).</summary>
    public int Samples { get; init; } = 300;

    /// <summary>Noise standard deviation of a generator (gaussians have none of their own).</summary>
    public double Noise { get; init; } = 0.1;

    /// <summary>Seeds the data, the weights and the shuffling, as <c>nabla train --seed</c> does.</summary>
    public ulong Seed { get; init; }

    /// <summary>Hidden layer sizes; empty for none.</summary>
    public IReadOnlyList<int> Layers { get; init; } = [8, 8];

    /// <summary>The hidden activation (<c>--activation</c>).</summary>
    public string Activation { get; init; } = "tanh";

    /// <summary>The loss (<c>--loss</c>).</summary>
    public string Loss { get; init; } = "cross-entropy";

    /// <summary>The weight initializer (<c>--init</c>).</summary>
    public string Init { get; init; } = "xavier";

    /// <summary><c>sgd</c> or <c>adam</c>.</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>The learning rate α.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>SGD momentum γ (0 for Adam).</summary>
    public double Momentum { get; init; }

    /// <summary>L2 weight decay λ on the weights.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Dropout probability after every hidden activation; 0 for none.</summary>
    public double Dropout { get; init; }

    /// <summary>Samples per step; null for the full batch.</summary>
    public int? BatchSize { get; init; } = 10;

    /// <summary>Input scaling fitted on the training split: <c>none</c>, <c>standard</c> or <c>minmax</c>.</summary>
    public string Scale { get; init; } = "none";

    /// <summary>Share of an uploaded CSV held out as the test set (<c>--test</c>).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>The <see cref="Dataset"/> value that means the uploaded CSV file.</summary>
    public const string Upload = "upload";

    /// <summary>True when the data is the uploaded CSV file.</summary>
    public bool IsUpload => Dataset == Upload;
}
