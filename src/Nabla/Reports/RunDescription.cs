using Nabla.Models;

namespace Nabla.Reports;

/// <summary>Short human-readable names for a run's network and loss, as reports and tables print them.</summary>
public static class RunDescription
{
    /// <summary>
    /// The network in one line, each layer as its kind describes it: "2 → 3 Tanh → 2" for a perceptron (the last
    /// size is the output layer, whose logits go to the loss), "1×28×28 → Conv2d(1, 32, 3, padding=1) 32×28×28 ReLU → …" for a CNN.
    /// </summary>
    public static string Network(Architecture architecture)
    {
        var parts = new List<string> { architecture.Input.ToString() };
        foreach (var layer in architecture.Resolve())
        {
            var (text, newStage) = layer.Kind.Describe(layer.Spec, layer.Output);
            if (text.Length == 0)
                continue;
            if (newStage)
                parts.Add(text);
            else
                parts[^1] += " " + text;
        }
        return string.Join(" → ", parts);
    }

    /// <summary>The loss as a reader would name it: "softmax cross-entropy" for <c>cross-entropy</c>, which takes logits.</summary>
    public static string Loss(string loss) => loss switch
    {
        "cross-entropy" => "softmax cross-entropy",
        "mse+cross-entropy" => "MSE(softmax) + cross-entropy",
        "binary-cross-entropy" => "sigmoid binary cross-entropy",
        "mse" => "mean squared error",
        _ => loss,
    };
}
