using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Reports;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Serialization;
using Nabla.Training;

namespace Nabla.Tests.Models;

/// <summary>Convolutional networks spelled as PyTorch module lists: resolved against the image shape, checked, described, and named as PyTorch names their tensors.</summary>
[Collection(ThreadCountCollection.Name)]
public class CnnArchitectureTests
{
    public const string Seed002 = "Conv2d(32, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(784), ReLU, Linear(10)";

    public const string Seed004 = "Conv2d(32, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(64, 5, padding=2), ReLU, MaxPool2d(2), Flatten, Linear(1024), ReLU, Dropout(0.5), Linear(10)";

    private static readonly string[] Digits = [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static Architecture Network(string network, SampleShape input, string loss = "cross-entropy", IReadOnlyList<string>? classes = null) =>
        Architecture.FromLayers(input, NetworkSpelling.Parse(network), loss, classes ?? Digits);

    [Fact]
    public void Seed002sNetworkResolvesToPyTorchsModulesAndTensors()
    {
        var architecture = Network(Seed002, SampleShape.Image(1, 28, 28));
        Assert.Equal(["Conv2d(1, 32, 3, padding=1)", "ReLU", "BatchNorm2d(32)", "MaxPool2d(2)", "Flatten", "Linear(6272, 784)", "ReLU", "Linear(784, 10)"],
            architecture.Layers.Select(l => l.ToString()));
        Assert.Equal(
            [
                ("0.weight", "32,1,3,3"), ("0.bias", "32"),
                ("2.weight", "32"), ("2.bias", "32"), ("2.running_mean", "32"), ("2.running_var", "32"), ("2.num_batches_tracked", ""),
                ("5.weight", "784,6272"), ("5.bias", "784"), ("7.weight", "10,784"), ("7.bias", "10"),
            ],
            architecture.Resolve().SelectMany(l => l.Tensors).Select(t => (t.Name, string.Join(",", t.Shape))));
        Assert.Equal(TensorRole.Counter, architecture.Resolve()[2].Tensors.Last().Role);
        Assert.Equal("1×28×28 → conv3×3 32×28×28 ReLU batchnorm → maxpool2×2 32×14×14 → 6272 → 784 ReLU → 10", RunDescription.Network(architecture));
        Assert.Equal(architecture.ToJson(), Architecture.FromJson(architecture.ToJson()).ToJson());
    }

    [Fact]
    public void Seed004sNetworkInFullAndLazySignaturesIsTheSame()
    {
        var lazy = Network(Seed004, SampleShape.Image(1, 28, 28));
        var full = Network(
            "nn.Conv2d(1, 32, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Conv2d(32, 64, kernel_size=(5, 5), padding=2), nn.ReLU(), nn.MaxPool2d(kernel_size=2), " +
            "nn.Flatten(), nn.Linear(3136, 1024), nn.ReLU(), nn.Dropout(p=0.5), LazyLinear(10)",
            SampleShape.Image(1, 28, 28));
        Assert.Equal(lazy.Resolve().SelectMany(l => l.Tensors).Select(t => (t.Name, string.Join(",", t.Shape))),
            full.Resolve().SelectMany(l => l.Tensors).Select(t => (t.Name, string.Join(",", t.Shape))));
        Assert.Equal(SampleShape.Image(64, 7, 7), lazy.Resolve()[5].Output);
        Assert.Equal("1×28×28 → conv5×5 32×28×28 ReLU → maxpool2×2 32×14×14 → conv5×5 64×14×14 ReLU → maxpool2×2 64×7×7 → 3136 → 1024 ReLU dropout 0.5 → 10",
            RunDescription.Network(lazy));
    }

    [Fact]
    public void KernelsStridesAndPaddingsMayBePairs()
    {
        var architecture = Network("Conv2d(4, (3, 5), stride=(2, 1), padding=(1, 2), bias=False), AvgPool2d((2, 3), stride=1), Flatten, BatchNorm1d, Linear(3)",
            SampleShape.Image(2, 9, 8), classes: ["a", "b", "c"]);
        Assert.Equal("Conv2d(2, 4, (3, 5), (2, 1), (1, 2), bias=False)", architecture.Layers[0].ToString());
        Assert.Equal(SampleShape.Image(4, 5, 8), architecture.Resolve()[0].Output);
        Assert.Equal(SampleShape.Image(4, 4, 6), architecture.Resolve()[1].Output);
        Assert.Equal(["0.weight", "3.weight", "3.bias", "3.running_mean", "3.running_var", "3.num_batches_tracked", "4.weight", "4.bias"],
            architecture.Resolve().SelectMany(l => l.Tensors).Select(t => t.Name));
    }

    [Theory]
    [InlineData("3,28,28", "Conv2d(1, 32, 3)", "Layer 0: Conv2d(1, 32, 3) takes 1 input channel; received 3×28×28.")]
    [InlineData("1,28,28", "Conv2d(3, 32, 3)", "Layer 0: Conv2d(3, 32, 3) takes 3 input channels; received 1×28×28.")]
    [InlineData("1,4,4", "Conv2d(32, 5), Flatten, Linear(2)", "Layer 0: Conv2d(32, 5) shrinks a 1×4×4 input below 1×1")]
    [InlineData("1,4,4", "Conv2d(32, 3), MaxPool2d(2), MaxPool2d(2), Flatten, Linear(2)", "Layer 2: MaxPool2d(2) shrinks a 32×1×1 input below 1×1.")]
    [InlineData("1,4,4", "Conv2d(8, 3), Linear(2)", "Layer 1: Linear(2) takes a row of features; received a 8×2×2 input. Put Flatten before it.")]
    [InlineData("784", "Conv2d(8, 3), Flatten, Linear(2)", "Layer 0: Conv2d(8, 3) takes images (C×H×W); received a 784 input.")]
    [InlineData("784", "MaxPool2d(2), Linear(2)", "Layer 0: MaxPool2d(2) takes images (C×H×W); received a 784 input.")]
    [InlineData("1,8,8", "Conv2d(8, 3), BatchNorm2d(16), Flatten, Linear(2)", "Layer 1: BatchNorm2d(16) takes 16 channels; received 8×6×6.")]
    [InlineData("1,8,8", "Conv2d(8, 3), BatchNorm1d, Flatten, Linear(2)", "Layer 1: BatchNorm1d takes features (C) or sequences (C×L); received a 8×6×6 input. Use BatchNorm2d for images.")]
    [InlineData("12", "BatchNorm2d, Linear(2)", "Layer 0: BatchNorm2d takes images (C×H×W); received a 12 input.")]
    [InlineData("1,8,8", "Conv2d(8, 3, dilation=2), Flatten, Linear(2)", "only dilation=1 is supported; received dilation=2")]
    [InlineData("1,8,8", "Conv2d(8, 3, groups=2), Flatten, Linear(2)", "only groups=1 is supported; received groups=2")]
    [InlineData("1,8,8", "Conv2d(0, 3), Flatten, Linear(2)", "expected out_channels of at least 1; received out_channels=0")]
    [InlineData("1,8,8", "Conv2d(4, (3, 0)), Flatten, Linear(2)", "expected kernel_size of at least 1; received kernel_size=(3, 0)")]
    [InlineData("1,8,8", "Conv2d(4, 3, stride=0), Flatten, Linear(2)", "expected stride of at least 1; received stride=0")]
    [InlineData("1,8,8", "Conv2d(4, 3, padding=-1), Flatten, Linear(2)", "expected padding of at least 0; received padding=-1")]
    [InlineData("1,8,8", "MaxPool2d(2, padding=2), Flatten, Linear(2)", "MaxPool2d(2, padding=2): expected padding of at most half the kernel (1×1); received padding=2.")]
    [InlineData("1,8,8", "AvgPool2d(2, stride=0), Flatten, Linear(2)", "expected stride of at least 1; received stride=0")]
    [InlineData("1,8,8", "Flatten(start_dim=2), Linear(2)", "only start_dim=1 and end_dim=-1 (flatten each whole sample) are supported; received start_dim=2, end_dim=-1 for a 1×8×8 input.")]
    [InlineData("1,8,8", "Flatten, BatchNorm1d(momentum=2), Linear(2)", "expected momentum in [0, 1]; received momentum=2")]
    public void NetworksThatDoNotFitNameTheModuleAndTheShapeItReceived(string input, string network, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Network(network, SampleShape.Parse(input), "mse", ["a", "b"])).Message);

    [Theory]
    [InlineData("Conv2d(1, 32, 3, 1, 0, 1, 1, True, 5)", "Conv2d takes at most 8 arguments")]
    [InlineData("MaxPool2d", "the option 'kernel_size' is missing")]
    [InlineData("Conv2d(32)", "the option 'kernel_size' is missing")]
    [InlineData("Conv2d(32, 3.5)", "Conv2d: expected kernel_size to be a whole number or a pair (h, w); received 3.5")]
    [InlineData("BatchNorm2d(affine=False)", "BatchNorm2d has no option 'affine'; expected one of: num_features, eps, momentum")]
    [InlineData("LazyFlatten", "LazyFlatten does not exist")]
    public void SpellingMistakesNameTheModule(string network, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Network(network, SampleShape.Image(1, 8, 8))).Message);

    [Fact]
    public void AWholeCnnPassesTheGradientCheckInTrainingMode()
    {
        var architecture = Network(
            "Conv2d(3, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Conv2d(4, (2, 3), stride=(1, 2), padding=(0, 1)), ELU, AvgPool2d(2, stride=1), " +
            "Flatten, BatchNorm1d, Linear(5), Tanh, Linear(3)",
            SampleShape.Image(2, 8, 7), classes: ["a", "b", "c"]);
        var model = architecture.Build<double>(GaussianInitializer.XavierNormal, new Rng(11));
        var x = TestData.Gaussian(5, 2 * 8 * 7, seed: 12);
        var y = TestData.OneHot(5, 3, seed: 13);
        var result = GradientCheck.Model(model, architecture.CreateLoss<double>(), x, y);
        TestData.AssertPassed(result);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias", "8.weight", "8.bias", "9.weight", "9.bias", "11.weight", "11.bias", "input"],
            result.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void TrainingGivesTheSameBitsOnOneAndTwoThreads()
    {
        var architecture = Network("Conv2d(8, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Conv2d(16, 3), ReLU, AvgPool2d(2), Flatten, Linear(64), ReLU, Dropout(0.5), Linear(10)",
            SampleShape.Image(1, 20, 20));
        var x = TestData.Gaussian(64, 400, seed: 1).Convert<float>();
        var y = TestData.OneHot(64, 10, seed: 2).Convert<float>();
        Assert.Equal(Train(1), Train(2));

        byte[] Train(int threads)
        {
            int before = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(3));
                var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), new Adam<float>(1e-3));
                var batch = new Matrix<float>(32, 400);
                var targets = new Matrix<float>(32, 10);
                for (int step = 0; step < 4; step++)
                {
                    x.Span.Slice(step % 2 * batch.Length, batch.Length).CopyTo(batch.Span);
                    y.Span.Slice(step % 2 * targets.Length, targets.Length).CopyTo(targets.Span);
                    trainer.TrainStep(batch, targets);
                }
                using var dir = new TempDirectory();
                string path = Path.Combine(dir.Path, "model.safetensors");
                ModelFile.Save(path, model, architecture);
                return File.ReadAllBytes(path);
            }
            finally
            {
                Parallelism.MaxThreads = before;
            }
        }
    }

    [Fact]
    public void ACnnSavesAndLoadsWithItsRunningStatisticsAndCount()
    {
        var architecture = Network(Seed002.Replace("Linear(784)", "Linear(16)"), SampleShape.Image(1, 8, 8));
        var model = architecture.Build<float>(GaussianInitializer.HeNormal, new Rng(1));
        var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), new Adam<float>(1e-3));
        var x = TestData.Gaussian(6, 64, seed: 2).Convert<float>();
        var y = TestData.OneHot(6, 10, seed: 3).Convert<float>();
        for (int i = 0; i < 3; i++)
            trainer.TrainStep(x, y);
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "cnn.safetensors");
        ModelFile.Save(path, model, architecture);
        var file = SafeTensorsFile.Read(path);
        Assert.Equal(SafeTensorDType.I64, file["2.num_batches_tracked"].DType);
        Assert.Equal([3L], file.GetInt64("2.num_batches_tracked"));
        Assert.Equal([32L, 1, 3, 3], file["0.weight"].Shape);

        var (loaded, loadedArchitecture) = ModelFile.Load<float>(path);
        Assert.Equal(architecture.ToJson(), loadedArchitecture.ToJson());
        var norm = (BatchNorm<float>)loaded.Layers[2];
        Assert.Equal(3, norm.BatchesTracked.Value);
        Assert.Equal(((BatchNorm<float>)model.Layers[2]).RunningVar.Values, norm.RunningVar.Values);
        Assert.Equal(model.Forward(x).Span.ToArray(), loaded.Forward(x).Span.ToArray());
    }
}
