using System.Globalization;
using System.Text;
using Nabla.Cli.Tests;
using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Training;

namespace Nabla.Onnx.Tests;

/// <summary>
/// One network trained on real data with the library, saved as a model file and exported by the real
/// <c>nabla export</c>: the model file, the ONNX file, and held-out raw features to feed both. A case is five
/// strings (data, input shape, network, loss, scaling), so a test runs on any network Nabla can spell.
/// </summary>
internal sealed class ExportCase : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ExportCase(string data, string inputShape, string network, string loss, string scale)
    {
        var (train, evaluation) = Load(data);
        var scaling = scale == "none" ? null : Scaling.Fit(scale == "standard" ? ScalingKind.Standard : ScalingKind.MinMax, train.Features);
        Architecture = Architecture.FromLayers(SampleShape.Parse(inputShape), NetworkSpelling.Parse(network), loss, train.ClassNames) with
        {
            Scaling = scaling,
            FeatureNames = train.FeatureNames,
        };
        Model = Architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(1));
        var trainer = new Trainer<float>(Model, Architecture.CreateLoss<float>(), new Adam<float>(0.01));
        trainer.Fit(Scaled(train, scaling), new TrainingOptions<float> { Epochs = data == "fashion-mnist" ? 2 : 30, BatchSize = 32, Seed = 1 });
        ModelFile.Save(ModelPath, Model, Architecture);
        Features = evaluation.Features;
        var export = Runner.Run("export", "--model", ModelPath, "--format", "onnx", "--output", OnnxPath);
        Assert.True(export.ExitCode == 0, export.ToString());
    }

    public Architecture Architecture { get; }

    public Sequential<float> Model { get; }

    /// <summary>Raw held-out features, one sample per row, as <c>nabla predict --input</c> reads them.</summary>
    public Matrix<float> Features { get; }

    public string ModelPath => _dir.File("model.safetensors");

    public string OnnxPath => _dir.File("model.onnx");

    public string File(string name) => _dir.File(name);

    /// <summary>The network's outputs on <see cref="Features"/>, computed by Nabla (scaled as the model was trained).</summary>
    public Matrix<float> NablaOutputs()
    {
        var inputs = Architecture.Scaling is { } s ? s.Apply(Features.Clone()) : Features;
        return Model.Forward(inputs, training: false).Clone();
    }

    /// <summary>Writes <see cref="Features"/> as a CSV file with a header, in round-trip precision, and returns its path.</summary>
    public string FeaturesCsv()
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Enumerable.Range(0, Features.Cols).Select(c => $"x{c}")).Append('\n');
        for (int r = 0; r < Features.Rows; r++)
        {
            var row = Features.Row(r).ToArray();
            csv.AppendJoin(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        string path = _dir.File("features.csv");
        System.IO.File.WriteAllText(path, csv.ToString());
        return path;
    }

    public void Dispose() => _dir.Dispose();

    private static (Dataset<float> Train, Dataset<float> Evaluation) Load(string data)
    {
        var catalog = new DatasetCatalog();
        switch (data)
        {
            case "iris":
                var iris = catalog.Load<float>("iris");
                return (iris, iris);
            case "iris-regression":
                // Petal width from the other three measurements: real data with a numeric target.
                var all = catalog.Load<float>("iris");
                var features = new Matrix<float>(all.Count, 3);
                var targets = new Matrix<float>(all.Count, 1);
                for (int r = 0; r < all.Count; r++)
                {
                    all.Features.Row(r)[..3].CopyTo(features.Row(r));
                    targets[r, 0] = all.Features[r, 3];
                }
                var regression = new Dataset<float>(features, targets, "iris-regression") { FeatureNames = all.FeatureNames?.Take(3).ToList() };
                return (regression, regression);
            case "fashion-mnist":
                var train = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Train });
                var test = catalog.Load<float>("fashion-mnist", new DatasetOptions { Split = DataSplit.Test });
                return (train.Subset([.. Enumerable.Range(0, 2000)]), test.Subset([.. Enumerable.Range(0, 500)]));
            default:
                throw new ArgumentException($"No test data named '{data}'.", nameof(data));
        }
    }

    private static Dataset<float> Scaled(Dataset<float> data, Scaling? scaling)
    {
        if (scaling is null)
            return data;
        var features = scaling.Apply(data.Features.Clone());
        return data.Labels is { } labels
            ? new Dataset<float>(features, labels, data.ClassNames!, data.Name)
            : new Dataset<float>(features, data.Targets, data.Name);
    }
}
