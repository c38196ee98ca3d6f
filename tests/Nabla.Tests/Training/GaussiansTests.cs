using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>Seed 000's network on seed 000's data, against the Bayes-optimal accuracy.</summary>
public class GaussiansTests
{
    /// <summary>
    /// P(correct) of the Bayes classifier, ∫ max(½p₀, ½p₁) dx, by the midpoint rule on [−3, 5]²,
    /// with class 0 ~ N((1,1), 0.5²I) and class 1 ~ N((2,2), 0.2²I). The mass outside the square is
    /// below 1e-9.
    /// </summary>
    internal static double BayesOptimalAccuracy()
    {
        const double low = -3, high = 5, h = 0.004;
        int steps = (int)((high - low) / h);
        double Density(double x, double y, double mu, double sigma) =>
            Math.Exp(-((x - mu) * (x - mu) + (y - mu) * (y - mu)) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
        double sum = 0;
        for (int i = 0; i < steps; i++)
        {
            double x = low + (i + 0.5) * h;
            for (int j = 0; j < steps; j++)
            {
                double y = low + (j + 0.5) * h;
                sum += Math.Max(Density(x, y, 1, 0.5), Density(x, y, 2, 0.2));
            }
        }
        return 0.5 * sum * h * h;
    }

    [Fact]
    public void BayesOptimalAccuracyIsAbout98Point5Percent()
    {
        double bayes = BayesOptimalAccuracy();
        Assert.InRange(bayes, 0.980, 0.990);
        // Monte Carlo agrees: the Bayes rule's accuracy on 200,000 samples.
        var data = Synthetic.Gaussians<double>(200_000, seed: 99);
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double x = data.Features[i, 0], y = data.Features[i, 1];
            double d0 = Math.Exp(-((x - 1) * (x - 1) + (y - 1) * (y - 1)) / 0.5) / 0.25;
            double d1 = Math.Exp(-((x - 2) * (x - 2) + (y - 2) * (y - 2)) / 0.08) / 0.04;
            if ((d1 > d0 ? 1 : 0) == data.Labels![i])
                correct++;
        }
        Assert.Equal(bayes, (double)correct / data.Count, 0.002);
    }

    [Fact]
    public void SeedZeroNetworkReaches97PercentOnTenThousandHeldOutPoints()
    {
        var train = Synthetic.Gaussians<float>(1000, seed: 10);
        var test = Synthetic.Gaussians<float>(10_000, seed: 11);
        var arch = Architecture.Mlp(2, [2], 2, "tanh", "mse+cross-entropy", train.ClassNames);
        var model = arch.Build<float>(GaussianInitializer.XavierNormal, new Rng(1));
        var loss = arch.CreateLoss<float>();
        new Trainer<float>(model, loss, new Sgd<float>(0.5, momentum: 0.9)).Fit(train, new TrainingOptions<float> { Epochs = 300 });
        double accuracy = Evaluation.Run(model, loss, test).Accuracy!.Value;
        Assert.True(accuracy >= 0.97, $"test accuracy {accuracy:P2} (Bayes-optimal {BayesOptimalAccuracy():P2})");
    }
}
