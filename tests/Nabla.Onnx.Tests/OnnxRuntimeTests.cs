using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Nabla.Cli.Tests;
using Nabla.Serialization;
using Nabla.Tensors;

namespace Nabla.Onnx.Tests;

/// <summary>
/// An independent engine runs Nabla's exported graphs: ONNX Runtime's outputs, fed the raw held-out features, equal
/// Nabla's own (the library's forward pass, and the real <c>nabla predict</c>) to 1e-5.
/// </summary>
public class OnnxRuntimeTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [MemberData(nameof(Cases.Iris), MemberType = typeof(Cases))]
    public void OnnxRuntimeGivesNablasOutputsOnIris(string data, string inputShape, string network, string loss, string scale) =>
        RunsAsInNabla(data, inputShape, network, loss, scale);

    [FashionMnistTheory]
    [MemberData(nameof(Cases.FashionMnist), MemberType = typeof(Cases))]
    public void OnnxRuntimeGivesNablasOutputsOnFashionMnist(string data, string inputShape, string network, string loss, string scale) =>
        RunsAsInNabla(data, inputShape, network, loss, scale);

    [Fact]
    public void TheServingSnippetGivesWhatNablaPredictGives()
    {
        using var exported = new ExportCase("iris", "4", "Linear(16), ReLU, Linear(3)", "cross-entropy", "standard");
        string flowers = exported.File("flowers.csv");
        File.WriteAllText(flowers, "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");

        float[] probabilities = Serving.PredictTwoFlowers(exported.OnnxPath);

        var predicted = Predictions(exported.ModelPath, flowers);
        Assert.Equal(2 * 3, probabilities.Length);
        for (int i = 0; i < probabilities.Length; i++)
            Assert.Equal(predicted[i / 3].Values[i % 3], probabilities[i], Tolerance);
        Assert.Equal(["setosa", "virginica"], predicted.Select(p => p.Class));
    }

    private static void RunsAsInNabla(string data, string inputShape, string network, string loss, string scale)
    {
        using var exported = new ExportCase(data, inputShape, network, loss, scale);
        var features = exported.Features;
        var names = OnnxExport.OutputNames(exported.Architecture);
        var onnx = Run(exported.OnnxPath, features, names);

        // The network's own outputs (logits, scores or regression values), and the probabilities the loss models.
        var outputs = exported.NablaOutputs();
        AssertClose(outputs.Span.ToArray(), onnx[0], relative: true, $"{names[0]} of {network}");
        if (names.Count == 2)
        {
            var probabilities = outputs.Clone();
            if (loss == "binary-cross-entropy")
                System.Numerics.Tensors.TensorPrimitives.Sigmoid(probabilities.Span, probabilities.Span);
            else
                RowSoftmax.Forward<float>(probabilities.Span, probabilities.Span, probabilities.Cols);
            AssertClose(probabilities.Span.ToArray(), onnx[1], relative: false, $"probabilities of {network}");
        }

        // nabla predict prints softmax probabilities (softmax losses), scores (mse) or values (regression).
        if (loss != "binary-cross-entropy")
        {
            var predicted = Predictions(exported.ModelPath, exported.FeaturesCsv());
            var printed = predicted.SelectMany(p => p.Values).ToArray();
            AssertClose(printed, onnx[^1], relative: names.Count == 1, $"nabla predict's outputs of {network}");
        }
    }

    /// <summary>Runs the ONNX file in ONNX Runtime on <paramref name="features"/> ([rows, features]); returns each named output, row-major.</summary>
    private static float[][] Run(string path, Matrix<float> features, IReadOnlyList<string> outputNames)
    {
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(features.Span.ToArray(), [features.Rows, features.Cols]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [OnnxExport.InputName], [input], [.. outputNames]);
        return [.. outputs.Select(o =>
        {
            Assert.Equal([features.Rows, -1], o.GetTensorTypeAndShape().Shape.Select((d, i) => i == 0 ? d : -1));
            return o.GetTensorDataAsSpan<float>().ToArray();
        })];
    }

    /// <summary><c>nabla predict</c>'s rows: the predicted class (empty for regression) and the printed numbers.</summary>
    private static List<(string Class, double[] Values)> Predictions(string model, string input)
    {
        var run = Runner.Run("predict", "--model", model, "--input", input);
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        bool classifier = lines[0].StartsWith("predicted,", StringComparison.Ordinal);
        return [.. lines.Skip(1).Select(line =>
        {
            var fields = line.Split(',');
            var numbers = fields.Skip(classifier ? 1 : 0).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (classifier ? fields[0] : "", numbers);
        })];
    }

    private static void AssertClose(IReadOnlyList<double> expected, float[] actual, bool relative, string what)
    {
        Assert.True(expected.Count == actual.Length, $"{what}: {expected.Count} values from Nabla, {actual.Length} from ONNX Runtime.");
        for (int i = 0; i < actual.Length; i++)
        {
            double allowed = relative ? Tolerance * Math.Max(1, Math.Abs(expected[i])) : Tolerance;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed, $"{what}: value {i} is {actual[i]} in ONNX Runtime and {expected[i]} in Nabla (allowed difference {allowed}).");
        }
    }

    private static void AssertClose(float[] expected, float[] actual, bool relative, string what) =>
        AssertClose(expected.Select(v => (double)v).ToArray(), actual, relative, what);
}
