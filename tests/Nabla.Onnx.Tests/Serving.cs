using Microsoft.ML.OnnxRuntime;

namespace Nabla.Onnx.Tests;

/// <summary>docs/scaling.md's serving snippet, word for word: an exported model in ONNX Runtime from C#.</summary>
internal static class Serving
{
    /// <summary>The class probabilities of two iris flowers given by their raw measurements, as <c>nabla predict</c> gives them.</summary>
    public static float[] PredictTwoFlowers(string path)
    {
        using var session = new InferenceSession(path);                              // the file nabla export wrote
        float[] features = [5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f];          // two flowers, raw (the scaling is in the graph)
        using var input = OrtValue.CreateTensorValueFromMemory(features, [2, 4]);     // [batch, features]
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["input"], [input], ["probabilities"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();                    // [2, 3], one row per flower
    }
}
