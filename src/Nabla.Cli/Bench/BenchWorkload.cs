namespace Nabla.Cli.Bench;

/// <summary>What a workload times: mini-batch training on Fashion-MNIST, full-batch steps on the Gaussians, or one-sample predictions.</summary>
internal enum BenchKind
{
    /// <summary>One epoch of shuffled mini-batches through <see cref="Training.Trainer{T}.Fit"/>.</summary>
    FashionTraining,

    /// <summary>Full-batch steps through <see cref="Training.Trainer{T}.TrainStep"/>.</summary>
    GaussianSteps,

    /// <summary>Calls of <see cref="Layers.Predictor{T}.PredictClass"/> on single test images.</summary>
    Inference,
}

/// <summary>
/// One of the shared benchmark workloads (shared/bench/WORKLOADS.md; the peers run the same in
/// peers.py): the network, its training settings and how much work one sample is.
/// </summary>
internal sealed record BenchWorkload(string Name, BenchKind Kind, int[] Sizes, string Activation, string Loss,
    double LearningRate, double Momentum, int BatchSize, int Count)
{
    /// <summary>The four workloads, in the order <c>all</c> runs them.</summary>
    public static IReadOnlyList<BenchWorkload> All { get; } =
    [
        new("mlp-sigmoid", BenchKind.FashionTraining, [784, 256, 64, 10], "sigmoid", "cross-entropy", 0.1, 0, 64, 1),
        new("mlp-relu-wide", BenchKind.FashionTraining, [784, 1000, 10], "relu", "cross-entropy", 0.01, 0.9, 128, 1),
        new("tiny-gaussians", BenchKind.GaussianSteps, [2, 2, 2], "tanh", "mse+cross-entropy", 0.1, 0, 1000, 5000),
        new("infer-batch1", BenchKind.Inference, [784, 256, 64, 10], "sigmoid", "cross-entropy", 0.1, 0, 1, 20000),
    ];

    /// <summary>The names, for the command's help and validation.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(w => w.Name)];

    /// <summary>
    /// FLOPs per sample as WORKLOADS.md counts them: for training the forward products, the
    /// weight-gradient products and the input-gradient products of every layer but the first
    /// (2·in·out each); for inference the forward products alone.
    /// </summary>
    public double FlopsPerSample
    {
        get
        {
            double forward = 0, inputGradients = 0;
            for (int l = 0; l + 1 < Sizes.Length; l++)
            {
                double product = 2.0 * Sizes[l] * Sizes[l + 1];
                forward += product;
                if (l > 0)
                    inputGradients += product;
            }
            return Kind == BenchKind.Inference ? forward : 2 * forward + inputGradients;
        }
    }
}
