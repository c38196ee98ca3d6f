using System.Globalization;
using System.Text;

namespace Nabla.Playground.Tests;

/// <summary>CSV files for upload tests.</summary>
internal static class Csv
{
    /// <summary>
    /// Three well-separated Gaussian blobs in the first two features (labels "north", "east", "west"), plus
    /// <paramref name="extraFeatures"/> columns of noise; deterministic.
    /// </summary>
    public static string ThreeBlobs(int rows, int extraFeatures = 0)
    {
        var rng = new Rng(2024);
        (string Name, double X, double Y)[] blobs = [("north", 0, 3), ("east", 2.6, -1.5), ("west", -2.6, -1.5)];
        var text = new StringBuilder("a,b");
        for (int j = 0; j < extraFeatures; j++)
            text.Append(CultureInfo.InvariantCulture, $",noise{j + 1}");
        text.Append(",label\n");
        for (int i = 0; i < rows; i++)
        {
            var (name, x, y) = blobs[i % 3];
            text.Append(CultureInfo.InvariantCulture, $"{x + rng.NextGaussian(0, 0.8):0.###},{y + rng.NextGaussian(0, 0.8):0.###}");
            for (int j = 0; j < extraFeatures; j++)
                text.Append(CultureInfo.InvariantCulture, $",{rng.NextGaussian(0, 1):0.###}");
            text.Append(',').Append(name).Append('\n');
        }
        return text.ToString();
    }
}
