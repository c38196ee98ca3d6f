namespace Nabla.Onnx.Tests;

/// <summary>docs/scaling.md's C# serving snippet is the body of <see cref="Serving.PredictTwoFlowers"/>, line for line, so the documented code is the tested code.</summary>
public class ServingDocumentationTests
{
    [Fact]
    public void TheDocumentedSnippetIsTheTestedMethodsBody()
    {
        string root = Root();
        var method = File.ReadAllLines(Path.Combine(root, "tests", "Nabla.Onnx.Tests", "Serving.cs")).Select(l => l.Trim())
            .SkipWhile(l => !l.StartsWith("using var session", StringComparison.Ordinal)).TakeWhile(l => l != "}").ToList();
        var doc = File.ReadAllLines(Path.Combine(root, "docs", "scaling.md")).Select(l => l.Trim())
            .SkipWhile(l => l != "```csharp").Skip(1).TakeWhile(l => l != "```").ToList();

        Assert.Equal(6, method.Count);
        Assert.Equal(method, doc);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"No Nabla.slnx above {AppContext.BaseDirectory}.");
    }
}
