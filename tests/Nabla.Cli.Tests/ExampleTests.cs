using System.Xml.Linq;

namespace Nabla.Cli.Tests;

/// <summary>Runs each example shortened (<c>--quick</c>: little data, few epochs), so every step of every example keeps working.</summary>
public class ExampleTests
{
    [Fact]
    public void Gaussians_runs_both_learning_rates_and_writes_seed_001s_figures()
    {
        using var dir = new TempDirectory();
        string results = RunQuick("gaussians", dir,
            ["data", "loss-per-iteration", "loss-lr-1e-6", "parameters-lr-1e-6", "parameters-lr-0.5", "decision-boundary"], ["lr-1e-6", "lr-0.5"]);

        Assert.Contains("| learning rate | iterations | loss at iteration 1 | final loss | largest change of any weight | test accuracy (10,000 points) |", results);
        Assert.Contains("| 1E-06 | 50 |", results);
        Assert.Contains("Bayes-optimal accuracy", results);
        Assert.Contains("Learning-rate sweep", results);
    }

    [Fact]
    public void Moons_compares_activations_hidden_sizes_and_l2()
    {
        using var dir = new TempDirectory();
        string results = RunQuick("moons", dir, ["activations", "activations-literal", "hidden-sizes", "deep-l2"], ["3-tanh", "deep-spiral-l2-0.01"]);

        foreach (string activation in (string[])["tanh", "sigmoid", "relu"])
            Assert.Contains($"| {activation} |", results);
        Assert.Contains("Hidden-size sweep with tanh", results);
        Assert.Contains("| spiral | 0.01 |", results);
        var panels = XDocument.Load(Path.Combine(dir.Path, "figures", "activations.svg")).Descendants(XName.Get("image", "http://www.w3.org/2000/svg"));
        Assert.Equal(3, panels.Count());
    }

    [FashionMnistFact]
    public void Letters_relu_sweeps_hidden_sizes_and_shows_test_curves_and_mistakes()
    {
        using var dir = new TempDirectory();
        string results = RunQuick("letters-relu", dir, ["loss-per-epoch", "accuracy-per-epoch", "confusion-matrix", "misclassified"], ["hidden-1000"]);

        Assert.Contains("Hidden-layer size sweep", results);
        Assert.Contains("| 100 |", results);
        Assert.Contains("| 1,000 |", results);
        Assert.Contains("early-stopping point (lowest validation loss)", results);
        Assert.Contains("handout's sizes", results);
    }

    [FashionMnistFact]
    public void Worked_example_shows_the_trace_against_the_seed_and_trains_on_fashion_mnist_and_iris()
    {
        using var dir = new TempDirectory();
        string results = RunQuick("worked-example", dir,
            ["fashion-accuracy-per-epoch", "iris-accuracy-per-epoch", "fashion-loss-per-epoch", "iris-loss-per-epoch", "iris-confusion-matrix"],
            ["fashion-seed-flags", "fashion-tuned", "iris-seed-flags", "iris-tuned"]);

        Assert.Contains("dL/dz2 = [-15.88650182]", results);
        Assert.Contains("| ∂L/∂ŷ = 2(ŷ − y) | −15.888 | −15.886502 |", results);
        Assert.Contains("| ∂L/∂w₃: bias, x₁, x₂ | −0.1584, −0.1584, −0.3168 | −0.158671, −0.158671, −0.317341 |", results);
        Assert.Contains("| iris | seed's flags", results);
    }

    [FashionMnistFact]
    public void Cnn_letters_trains_seed_002s_cnn_then_sweeps_l2_and_dropout_then_anneals_the_learning_rate()
    {
        using var dir = new TempDirectory();
        string results = RunQuick("cnn-letters", dir,
            ["loss-per-epoch", "accuracy-per-epoch", "filters", "feature-maps", "distributions", "confusion-matrix", "l2-validation-accuracy", "dropout-validation-accuracy"], ["main"]);

        Assert.Contains("notMNIST is not available here", results);
        Assert.Contains("Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10), up to 2 epochs", results);
        foreach (string row in (string[])["| none |", "| λ = 0.01 |", "| λ = 0.1 |", "| λ = 0.5 |", "| keep 0.9 |", "| keep 0.75 |", "| keep 0.5 |"])
            Assert.Contains(row, results);
        Assert.Contains("Linear(10), 2 epochs, the learning rate annealed from 0.0001 to 0 (cosine), no early stopping", results);
    }

    [FashionMnistFact]
    public void Cnn_mnist_records_every_layer_while_training_then_compares_activations_initialisations_and_optimizers()
    {
        using var dir = new TempDirectory();
        string results = RunQuick("cnn-mnist", dir,
            ["error-per-step", "distributions", "histograms", "filters", "feature-maps", "activations-validation-error", "initialisation-validation-error", "optimizers-validation-error"], ["main"]);

        Assert.Contains("MNIST is not installed here", results);
        Assert.Contains("| 0.weight | weight | 800 |", results);
        Assert.Contains("| 8 ReLU | activation |", results);
        foreach (string row in (string[])["| tanh |", "| sigmoid |", "| leaky ReLU (0.01) |", "| Xavier normal", "| He normal", "| SGD, lr 0.01 |", "| momentum 0.9, lr 0.01 |", "| Adagrad, lr 0.01 |"])
            Assert.Contains(row, results);
        var statistics = File.ReadAllLines(Path.Combine(dir.Path, "layer-statistics.csv"));
        Assert.Equal("step,validation_error,test_error,tensor,quantity,count,min,max,mean,std,histogram", statistics[0]);
        // Steps 0, 4, 8 and 12 (the quick run's 12 steps, every 4), each with 8 parameter tensors and 7 layer outputs.
        Assert.Equal(4 * 15, statistics.Length - 1);
    }

    [Fact]
    public void Unknown_example_is_a_usage_error_listing_the_examples()
    {
        var run = Runner.Run("example", "mnist");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("gaussians", run.Err);
    }

    /// <summary>Runs the example with --quick into <paramref name="dir"/>, checks its figures parse and its reports exist, and returns results.md.</summary>
    private static string RunQuick(string example, TempDirectory dir, string[] figures, string[] reports)
    {
        var run = Runner.Run("example", example, "--quick", "--out", dir.Path);
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string figure in figures)
        {
            var svg = XDocument.Load(Path.Combine(dir.Path, "figures", figure + ".svg"));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
        }
        Assert.Equal(figures.Order(), Directory.GetFiles(Path.Combine(dir.Path, "figures")).Select(f => Path.GetFileNameWithoutExtension(f)!).Order());
        foreach (string report in reports)
            Assert.True(File.Exists(Path.Combine(dir.Path, "runs", report, "report.html")), $"no report for run {report}");
        return File.ReadAllText(Path.Combine(dir.Path, "results.md"));
    }
}
