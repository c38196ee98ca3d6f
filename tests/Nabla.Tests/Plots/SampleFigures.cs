using Nabla.Plots;

namespace Nabla.Tests.Plots;

/// <summary>
/// Figures like the seed assignments' own, from synthetic data that mimics real runs: the
/// Chromium test renders them and saves a screenshot for a person to look at.
/// </summary>
internal static class SampleFigures
{
    public static readonly string[] Fashion = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>A full report: every chart type, the way a training run would fill it.</summary>
    public static HtmlReport Report()
    {
        var (gx, gy) = Gaussians(400, seed: 10);
        var (mx, my) = Moons(200, 0.2, seed: 0);
        var report = new HtmlReport("gaussians: 2-2-2 tanh, softmax, MSE + cross-entropy <sample>")
            { Subtitle = "nabla train --data gaussians --hidden 2 --activation tanh --lr 0.1 --epochs 2000 --out runs/g" };
        report.AddSetting("architecture", "2 → 2 tanh → 2 softmax").AddSetting("loss", "MSE(softmax) + cross-entropy")
            .AddSetting("optimizer", "gradient descent, full batch").AddSetting("learning rate", "0.1").AddSetting("iterations", "2,000")
            .AddSetting("data seed", "10");
        report.AddMetric("train loss", 0.061234).AddMetric("test accuracy", 0.9791).AddMetric("Bayes-optimal accuracy", "≈ 0.985");

        report.AddSection("Data").AddFigure(Scatter(gx, gy), "The two Gaussians: μ₁ = 1, σ₁ = 0.5 and μ₂ = 2, σ₂ = 0.2.");
        report.AddSection("Training")
            .AddFigure(LossPerIteration(), "Loss per iteration at learning rate 0.1 (log scale).")
            .AddFigure(FlatLoss(), "At the seeds' learning rate 1e-6 the loss barely moves: the steps are a million times smaller than the gradient.")
            .AddFigure(Parameters(), "Every weight and bias per iteration.")
            .AddText("Notes are escaped: <b>not bold</b> & fine.\n\nA second paragraph.");
        report.AddFigure(GaussianBoundary(gx, gy), "Predicted class over the data (classes only, no probabilities).");
        report.AddSection("Decision boundaries").AddFigure(Boundaries(mx, my), "make_moons(200, noise 0.20), 3 hidden units.")
            .AddTable("Hidden-size sweep (tanh)", ["hidden units", "train accuracy", "test accuracy"],
                [["1", "0.835", "0.820"], ["3", "0.970", "0.955"], ["50", "0.985", "0.950"]]);
        report.AddSection("Image data")
            .AddFigure(Curves(), "Train, validation and test accuracy per epoch; training stopped early.")
            .AddFigure(Confusion(), "Confusion matrix on the test set.")
            .AddFigure(Misclassified(), "Misclassified test images.");
        return report;
    }

    public static ScatterChart Scatter(double[,] x, int[] y) =>
        new(x, y, ["Gaussian 1 (μ=1, σ=0.5)", "Gaussian 2 (μ=2, σ=0.2)"]) { Title = "Training data", XLabel = "x₁", YLabel = "x₂" };

    public static LineChart LossPerIteration()
    {
        var rng = new Random(1);
        var loss = new double[2000];
        for (int i = 0; i < loss.Length; i++)
            loss[i] = 0.06 + 1.3 * Math.Exp(-i / 150.0) + 0.01 * rng.NextDouble();
        return new LineChart { Title = "Loss per iteration", XLabel = "iteration", YLabel = "loss", LogY = true }.Add("loss", loss);
    }

    public static LineChart FlatLoss()
    {
        var loss = new double[1000];
        for (int i = 0; i < loss.Length; i++)
            loss[i] = 1.38629 - 1e-7 * i;
        return new LineChart { Title = "Loss per iteration, learning rate 1e-6", XLabel = "iteration", YLabel = "loss" }.Add("loss", loss);
    }

    public static Figure Parameters()
    {
        string[] names = ["W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]", "W2[0,0]", "W2[0,1]", "W2[1,0]", "W2[1,1]", "b2[0]", "b2[1]"];
        var values = new double[2000, names.Length];
        for (int i = 0; i < 2000; i++)
            for (int p = 0; p < names.Length; p++)
                values[i, p] = Math.Sin(p) + (p % 3 - 1) * 1.5 * (1 - Math.Exp(-i / (100.0 + 40 * p)));
        return ParameterTraces.Create(names, values, "Weights and biases per iteration");
    }

    public static Figure Boundaries(double[,] x, int[] y)
    {
        var figure = new Figure(3) { Title = "Decision boundary by hidden activation (3 units)" };
        (string Name, Func<double, double, double> P)[] models =
        [
            ("tanh", (a, b) => Sigmoid(4 * (b - 0.5 * Math.Cos(2.6 * a) + 0.1 - 0.4 * (a - 0.5)))),
            ("sigmoid", (a, b) => Sigmoid(3 * (b - 0.25 + 0.45 * (a - 0.5)))),
            ("ReLU", (a, b) => Sigmoid(5 * (b - 0.2 - Math.Max(0, 0.9 * (a - 1.1)) + Math.Max(0, 0.7 * (0.1 - a))))),
        ];
        foreach (var (name, p) in models)
        {
            var grid = ClassGrid.ComputeProbability(xs => [.. Enumerable.Range(0, xs.GetLength(0)).Select(i => p(xs[i, 0], xs[i, 1]))], x);
            figure.Add(new DecisionBoundary(grid, x, y, ["moon 0", "moon 1"]) { Title = name, XLabel = "x₁", YLabel = "x₂", Width = 400, Height = 400 });
        }
        return figure;
    }

    public static DecisionBoundary GaussianBoundary(double[,] x, int[] y)
    {
        // A circle around the tight Gaussian, as a trained 2-2-2 tanh network draws it.
        var grid = ClassGrid.Compute(xs => [.. Enumerable.Range(0, xs.GetLength(0)).Select(i => Math.Pow(xs[i, 0] - 2, 2) + Math.Pow(xs[i, 1] - 2, 2) < 0.36 ? 1 : 0)], x);
        return new DecisionBoundary(grid, x, y, ["Gaussian 1", "Gaussian 2"]) { Title = "Decision boundary", XLabel = "x₁", YLabel = "x₂" };
    }

    public static Figure Curves()
    {
        int epochs = 60;
        double[] Curve(double final, double tau, double drop) =>
            [.. Enumerable.Range(1, epochs).Select(e => final - 0.5 * Math.Exp(-e / tau) - drop * Math.Max(0, e - 37) / epochs)];
        var accuracy = new LineChart { Title = "Accuracy per epoch", XLabel = "epoch", YLabel = "accuracy", Width = 560, Height = 380 }
            .Add("train", Curve(0.96, 8, -0.05), firstX: 1).Add("validation", Curve(0.9, 8, 0.02), firstX: 1).Add("test", Curve(0.895, 8, 0.02), firstX: 1)
            .AddMarker(37, "early stop, epoch 37");
        double[] Loss(double final, double rise) => [.. Enumerable.Range(1, epochs).Select(e => final + 1.8 * Math.Exp(-e / 6.0) + rise * Math.Max(0, e - 37) / epochs)];
        var loss = new LineChart { Title = "Loss per epoch", XLabel = "epoch", YLabel = "cross-entropy", Width = 560, Height = 380 }
            .Add("train", Loss(0.12, -0.05), firstX: 1).Add("validation", Loss(0.3, 0.15), firstX: 1).Add("test", Loss(0.31, 0.15), firstX: 1)
            .AddMarker(37, "early stop, epoch 37");
        return new Figure(2).Add(loss).Add(accuracy);
    }

    public static Heatmap Confusion()
    {
        var rng = new Random(2);
        var counts = new int[10, 10];
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 10; c++)
                counts[r, c] = r == c ? 800 + rng.Next(180) : rng.Next(r is 0 or 2 or 4 or 6 && c is 0 or 2 or 4 or 6 ? 90 : 12);
        return new Heatmap(counts, Fashion) { Title = "Test set confusion matrix" };
    }

    public static ImageGrid Misclassified()
    {
        var grid = new ImageGrid(8) { Title = "Misclassified test images" };
        for (int k = 0; k < 16; k++)
        {
            var pixels = new float[28 * 28];
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                {
                    double d = Math.Sqrt((r - 14) * (r - 14) + (c - 14) * (c - 14) * (1 + k % 4 * 0.3));
                    pixels[r * 28 + c] = (float)Math.Clamp(1.2 - Math.Abs(d - 4 - k % 5) / 2.5, 0, 1);
                }
            grid.Add(pixels, 28, 28, $"true: {Fashion[k % 10]}\npred: {Fashion[(k * 3 + 1) % 10]}");
        }
        return grid;
    }

    /// <summary>Seed 000's data: two Gaussians, class 0 around (1, 1) with σ 0.5, class 1 around (2, 2) with σ 0.2.</summary>
    public static (double[,] X, int[] Y) Gaussians(int perClass, int seed)
    {
        var rng = new Random(seed);
        var x = new double[2 * perClass, 2];
        var y = new int[2 * perClass];
        for (int i = 0; i < 2 * perClass; i++)
        {
            int c = i % 2;
            double mu = c == 0 ? 1 : 2, sigma = c == 0 ? 0.5 : 0.2;
            x[i, 0] = mu + sigma * Normal(rng);
            x[i, 1] = mu + sigma * Normal(rng);
            y[i] = c;
        }
        return (x, y);
    }

    /// <summary>scikit-learn's make_moons: two interleaved half circles with Gaussian noise.</summary>
    public static (double[,] X, int[] Y) Moons(int n, double noise, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n, 2];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 2;
            double t = Math.PI * rng.NextDouble();
            x[i, 0] = (c == 0 ? Math.Cos(t) : 1 - Math.Cos(t)) + noise * Normal(rng);
            x[i, 1] = (c == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t)) + noise * Normal(rng);
            y[i] = c;
        }
        return (x, y);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
}
