using System.Text.RegularExpressions;

namespace Nabla.Tests;

/// <summary>Data flows one way: each folder of the library uses only the namespaces before it (docs/design.md, "The parts").</summary>
public partial class NamespaceOrderTests
{
    /// <summary>The order; a folder may use its own namespace and those listed before it.</summary>
    private static readonly string[] Order =
        ["IO", "Text", "Tensors", "Onnx", "Data", "Init", "Layers", "Losses", "Optimizers", "Models", "Training", "Diagnostics", "Serialization", "Plots", "Reports", "Runs"];

    [GeneratedRegex(@"(?:^using |[^.\w])Nabla\.([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex Reference();

    [Fact]
    public void EachFolderUsesOnlyTheNamespacesBeforeIt()
    {
        string library = Repository.File("src", "Nabla");
        var wrong = new List<string>();
        foreach (string folder in Directory.GetDirectories(library).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj"))!)
        {
            int rank = Array.IndexOf(Order, folder);
            if (rank < 0)
            {
                wrong.Add($"src/Nabla/{folder} is not in the order; add it where its dependencies put it");
                continue;
            }
            foreach (string file in Directory.GetFiles(Path.Combine(library, folder), "*.cs", SearchOption.AllDirectories))
                foreach (var used in Reference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).Distinct())
                    if (Array.IndexOf(Order, used) is var usedRank && usedRank > rank)
                        wrong.Add($"{Path.GetRelativePath(library, file)} uses Nabla.{used}, which comes after {folder}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
