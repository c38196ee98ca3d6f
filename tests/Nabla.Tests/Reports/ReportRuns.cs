using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Reports;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Tests.Reports;

/// <summary>Small real training runs, finished, ready to report on.</summary>
internal static class ReportRuns
{
    /// <summary>Seed 000's 2-2-2 tanh network on the two Gaussians, every parameter recorded, with a test set.</summary>
    public static RunReport<float> Gaussians(int epochs = 300)
    {
        var train = Synthetic.Gaussians<float>(1000, seed: 10);
        var test = Synthetic.Gaussians<float>(2000, seed: 11);
        var architecture = Architecture.Mlp(2, [2], 2, "tanh", "mse+cross-entropy", train.ClassNames);
        var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(1));
        var history = new Trainer<float>(model, architecture.CreateLoss<float>(), new Sgd<float>(0.5, momentum: 0.9))
            .Fit(train, new TrainingOptions<float> { Epochs = epochs, RecordParameters = true });
        return new RunReport<float>(architecture, model, history, train)
        {
            Test = test,
            Title = "gaussians: 2-2-2 tanh, MSE(softmax) + cross-entropy",
            Command = "nabla train --data gaussians --learning-rate 0.5 --momentum 0.9 --epochs 300 --out runs/gaussians",
            Settings = [new("learning rate", "0.5"), new("momentum", "0.9"), new("epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            ExtraMetrics = [new("Bayes-optimal accuracy", "≈ 0.985")],
            Notes = ["Seed 000's network, trained by full-batch gradient descent with momentum."],
        };
    }

    /// <summary>
    /// 8 × 8 "images" of four classes (a bright quadrant each, plus noise), standard-scaled, trained in
    /// mini-batches with validation, early stopping and a per-epoch test curve.
    /// </summary>
    public static RunReport<float> Images()
    {
        var all = Quadrants(1200, seed: 3);
        var (train, validation, test) = Split.TrainValidationTest(all, 0.2, 0.2, 5, stratified: true);
        var scaling = Scaling.Fit(ScalingKind.Standard, train.Features);
        var architecture = Architecture.Mlp(64, [16], 4, "relu", "cross-entropy", train.ClassNames) with { Scaling = scaling };
        train = Scaled(train, scaling);
        validation = Scaled(validation, scaling);
        test = Scaled(test, scaling);
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(2));
        var loss = architecture.CreateLoss<float>();
        var testCurve = new EpochEvaluation<float>(test, loss);
        var history = new Trainer<float>(model, loss, new Sgd<float>(0.05, momentum: 0.9)).Fit(train, new TrainingOptions<float>
        {
            Epochs = 40,
            BatchSize = 32,
            Seed = 4,
            Validation = validation,
            Callbacks = [testCurve, new EarlyStopping<float>(patience: 3)],
        });
        return new RunReport<float>(architecture, model, history, train) { Validation = validation, Test = test, TestCurve = testCurve };
    }

    private static Dataset<float> Scaled(Dataset<float> data, Scaling scaling) =>
        new(scaling.Apply(data.Features), data.Labels!, data.ClassNames!, data.Name);

    private static Dataset<float> Quadrants(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Matrix<float>(count, 64);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % 4;
            labels[i] = c;
            for (int r = 0; r < 8; r++)
                for (int col = 0; col < 8; col++)
                {
                    bool lit = (r < 4) == (c < 2) && (col < 4) == (c % 2 == 0);
                    x[i, r * 8 + col] = (float)Math.Clamp((lit ? 0.6 : 0.2) + rng.NextGaussian(0, 0.35), 0, 1);
                }
        }
        return new Dataset<float>(x, labels, ["top left", "top right", "bottom left", "bottom right"], "quadrants");
    }
}
