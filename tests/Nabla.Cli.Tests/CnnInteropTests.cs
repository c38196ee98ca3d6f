using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nabla.Serialization;

namespace Nabla.Cli.Tests;

/// <summary>
/// Issue 12's done-means against outside references: PyTorch loads every kind of CNN model file <c>nabla train</c> writes
/// strictly and agrees with <c>nabla predict</c>; a CNN on real handwritten digits in MNIST's IDX format (scikit-learn's
/// 1,797 8×8 digits) reaches 0.975 test accuracy.
/// </summary>
public class CnnInteropTests
{
    /// <summary>Rebuilds each model with tools/to_torch.py (load_state_dict strict), runs the IDX test images and prints the softmax rows as JSON.</summary>
    private const string TorchPredict = """
        import gzip, json, struct, sys
        import torch
        sys.path.insert(0, "tools")
        import to_torch

        def idx(path):
            with gzip.open(path, "rb") as f:
                data = f.read()
            dims = struct.unpack(">" + "I" * (data[3]), data[4:4 + 4 * data[3]])
            return torch.frombuffer(bytearray(data[4 + 4 * data[3]:]), dtype=torch.uint8).reshape(dims)

        images = idx(sys.argv[1] + "/t10k-images-idx3-ubyte.gz").float() / 255
        result = {}
        for path in sys.argv[2:]:
            model, arch = to_torch.load(path)
            x = to_torch.scale_inputs(images.reshape(len(images), -1).double(), arch).float()
            with torch.no_grad():
                result[path] = torch.softmax(model(x.reshape(-1, *arch["input_shape"])), dim=1).tolist()
        print(json.dumps(result))
        """;

    [TorchFact]
    public void TorchLoadsEveryCnnModelFileStrictlyAndAgreesWithPredict()
    {
        using var dir = new TempDirectory();
        string data = ImageData.Shapes(dir);
        string[] networks =
        [
            "Conv2d(4, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Flatten, Linear(16), ReLU, Linear(10)",
            "Conv2d(4, (3, 5), stride=2, padding=(1, 2)), ELU(0.5), AvgPool2d(3, stride=1, padding=1), Flatten, Linear(16), BatchNorm1d, LeakyReLU(0.1), Dropout(0.3), Linear(10)",
            "Conv2d(4, 5, padding=2), ReLU, MaxPool2d(2), Conv2d(8, 5, padding=2), Sigmoid, MaxPool2d(2, stride=1), Flatten, Linear(16), Tanh, Dropout(0.5), Linear(10)",
        ];
        var models = new List<string>();
        for (int i = 0; i < networks.Length; i++)
        {
            string run = dir.File($"run{i}");
            var trained = Runner.Run("train", "--data", data, "--network", networks[i], "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.01",
                "--batch-size", "16", "--epochs", "3", "--scale", i == 2 ? "standard" : "none", "--out", run);
            Assert.True(trained.ExitCode == 0, trained.ToString());
            models.Add(Path.Combine(run, ModelFile.FileName));
        }

        using var torch = JsonDocument.Parse(Python.Run(TorchPredict, [data, .. models]));

        foreach (string model in models)
        {
            var predicted = Runner.Run("predict", "--model", model, "--data", data);
            Assert.True(predicted.ExitCode == 0, predicted.ToString());
            var rows = predicted.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            var expected = torch.RootElement.GetProperty(model).EnumerateArray().ToList();
            Assert.Equal(expected.Count, rows.Count);
            for (int r = 0; r < rows.Count; r++)
            {
                var nabla = rows[r].Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                var reference = expected[r].EnumerateArray().Select(v => v.GetDouble()).ToArray();
                for (int c = 0; c < nabla.Length; c++)
                    Assert.True(Math.Abs(nabla[c] - reference[c]) <= 1e-4, $"{model}, row {r}, class {c}: nabla {nabla[c]}, torch {reference[c]}");
            }
        }
    }

    /// <summary>scikit-learn's digits (0–16 per pixel) as 0–255 IDX bytes, 20% of each class held out as the test files (a fixed shuffle).</summary>
    private const string DigitsToIdx = """
        import gzip, struct, sys
        import numpy as np
        from sklearn.datasets import load_digits
        out = sys.argv[1]
        digits = load_digits()
        x = np.rint(digits.images * (255 / 16)).astype(np.uint8)
        y = digits.target.astype(np.uint8)
        rng = np.random.RandomState(0)
        test = np.zeros(len(y), bool)
        for c in range(10):
            idx = np.flatnonzero(y == c)
            rng.shuffle(idx)
            test[idx[: round(len(idx) * 0.2)]] = True
        def write(name, magic, a):
            with gzip.open(f"{out}/{name}.gz", "wb") as f:
                f.write(struct.pack(">I", magic) + struct.pack(">" + "I" * a.ndim, *a.shape) + a.tobytes())
        for prefix, part in (("train", ~test), ("t10k", test)):
            write(f"{prefix}-images-idx3-ubyte", 0x803, x[part])
            write(f"{prefix}-labels-idx1-ubyte", 0x801, y[part])
        print(int((~test).sum()), int(test.sum()))
        """;

    [SklearnFact]
    public void ACnnOnRealDigitsInMnistFormatReaches0975()
    {
        using var dir = new TempDirectory();
        Assert.Equal("1438 359", Python.Run(DigitsToIdx, dir.Path).Trim());

        var run = Runner.Run("train", "--data", dir.Path, "--network",
            "Conv2d(16, 3, padding=1), ReLU, MaxPool2d(2), Conv2d(32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(64), ReLU, Linear(10)",
            "--loss", "cross-entropy", "--optimizer", "adam", "--learning-rate", "0.003", "--batch-size", "32", "--epochs", "15", "--init", "he");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("1438 samples", run.Out);
        double accuracy = double.Parse(Regex.Match(run.Out, @"Test accuracy: ([0-9.]+) \(([0-9]+) of 359 correct\)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy >= 0.975, run.Out);
    }
}
