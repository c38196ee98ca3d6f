using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Reports;
using Nabla.Tensors;
using Nabla.Tests.Serialization;
using Nabla.Training;

namespace Nabla.Tests.Reports;

/// <summary>A run with thousands of classes gets a report that stays readable and small (issue 13: 2,000 classes once wrote a 730 MB report).</summary>
public class ManyClassesTests
{
    [Fact]
    public void TwoThousandClassesGiveASmallConfusionMatrixAndTable()
    {
        const int classes = 2000, count = 6000;
        var rng = new Rng(5);
        var x = new Matrix<float>(count, 4);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % classes;
            for (int f = 0; f < 4; f++)
                x[i, f] = (float)(labels[i] / (double)classes + rng.NextGaussian(0, 0.01));
        }
        var names = Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        var train = new Dataset<float>(x, labels, names, "many");
        var architecture = Architecture.Mlp(4, [], classes, "relu", "cross-entropy", names);
        var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(1));
        var history = new Trainer<float>(model, architecture.CreateLoss<float>(), new Adam<float>(0.01))
            .Fit(train, new TrainingOptions<float> { Epochs = 2, BatchSize = 256 });

        using var dir = new TempDirectory();
        var written = new RunReport<float>(architecture, model, history, train).Write(dir.Path);

        var confusion = new FileInfo(Path.Combine(dir.Path, "confusion-matrix.svg"));
        Assert.True(confusion.Length < 200_000, $"confusion-matrix.svg is {confusion.Length:N0} bytes");
        Assert.Contains($"the {RunFigures.MaxConfusionClasses} of 2,000 classes with the most mistakes", File.ReadAllText(confusion.FullName));
        var report = new FileInfo(written[^1]);
        Assert.True(report.Length < 2_000_000, $"report.html is {report.Length:N0} bytes");
        string html = File.ReadAllText(report.FullName);
        Assert.Contains("the 50 of 2,000 classes with the lowest F1", html);
    }
}
