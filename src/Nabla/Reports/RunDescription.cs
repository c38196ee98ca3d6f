using System.Globalization;
using Nabla.Models;

namespace Nabla.Reports;

/// <summary>Short human-readable names for a run's network and loss, as reports and tables print them.</summary>
public static class RunDescription
{
    /// <summary>The layer sizes with each hidden activation, e.g. "2 → 3 Tanh → 2"; the last size is the output layer, whose logits go to the loss.</summary>
    public static string Network(Architecture architecture)
    {
        var parts = new List<string> { architecture.Inputs.ToString(CultureInfo.InvariantCulture) };
        foreach (var layer in architecture.Layers)
        {
            if (layer.Kind == "Linear")
                parts.Add(layer.Outputs!.Value.ToString(CultureInfo.InvariantCulture));
            else if (layer.Kind == "Dropout")
                parts[^1] += string.Create(CultureInfo.InvariantCulture, $" dropout {layer.Probability}");
            else if (layer.Kind != "Identity")
                parts[^1] += " " + layer.Kind;
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
