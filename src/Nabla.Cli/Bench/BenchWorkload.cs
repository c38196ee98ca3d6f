using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Tensors;

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

    /// <summary>One epoch of Adam on the first training images as 1×28×28 images through a convolutional network.</summary>
    FashionCnn,
}

/// <summary>
/// One of the shared benchmark workloads (shared/bench/WORKLOADS.md; the peers run the same in
/// peers.py): the network, its training settings and how much work one sample is.
/// </summary>
internal sealed record BenchWorkload(string Name, BenchKind Kind, int[] Sizes, string Activation, string Loss,
    double LearningRate, double Momentum, int BatchSize, int Count)
{
    /// <summary>The six workloads, in the order <c>all</c> runs them.</summary>
    public static IReadOnlyList<BenchWorkload> All { get; } =
    [
        new("mlp-sigmoid", BenchKind.FashionTraining, [784, 256, 64, 10], "sigmoid", "cross-entropy", 0.1, 0, 64, 1),
        new("mlp-relu-wide", BenchKind.FashionTraining, [784, 1000, 10], "relu", "cross-entropy", 0.01, 0.9, 128, 1),
        new("tiny-gaussians", BenchKind.GaussianSteps, [2, 2, 2], "tanh", "mse+cross-entropy", 0.1, 0, 1000, 5000),
        new("infer-batch1", BenchKind.Inference, [784, 256, 64, 10], "sigmoid", "cross-entropy", 0.1, 0, 1, 20000),
        // Seed 002 part 2 and seed 004 part 2; Count is the training images of the one epoch.
        new("cnn-letters", BenchKind.FashionCnn, [], "", "cross-entropy", 1e-4, 0, 32, 10_000)
        {
            Network = "Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10)",
        },
        new("cnn-mnist", BenchKind.FashionCnn, [], "", "cross-entropy", 1e-4, 0, 50, 5_000)
        {
            Network = "Conv2d(32, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(64, 5, padding=2), ReLU, MaxPool2d(2), Flatten, Linear(1024), ReLU, Dropout(0.5), Linear(10)",
        },
    ];

    /// <summary>A convolutional workload's network as <c>--network</c> spells it; null for the multilayer perceptrons of <see cref="Sizes"/>.</summary>
    public string? Network { get; init; }

    /// <summary>A convolutional workload's network on 1×28×28 images with ten classes.</summary>
    /// <exception cref="InvalidOperationException">The workload is a multilayer perceptron.</exception>
    public Architecture Architecture => Architecture.FromLayers(SampleShape.Image(1, 28, 28),
        NetworkSpelling.Parse(Network ?? throw new InvalidOperationException($"{Name} is a multilayer perceptron of sizes {string.Join("-", Sizes)}.")),
        Loss, [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

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
            if (Network is not null)
                return CnnFlopsPerSample(Architecture);
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

    /// <summary>
    /// A convolutional network's training FLOPs per sample as WORKLOADS.md counts them: each affine layer's products
    /// (2 × weights × output positions: the output's size over its channels) twice for the first (forward, weight gradient)
    /// and three times for the others (and their input gradient).
    /// </summary>
    private static double CnnFlopsPerSample(Architecture architecture)
    {
        double flops = 0;
        bool first = true;
        foreach (var layer in architecture.Resolve().Where(l => l.Kind.Role == LayerRole.Affine))
        {
            long weights = layer.Tensors.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)).Sum(t => t.Shape.Aggregate(1L, (a, d) => a * d));
            double product = 2.0 * weights * (layer.Output.Size / layer.Output.Dims[0]);
            flops += (first ? 2 : 3) * product;
            first = false;
        }
        return flops;
    }
}
