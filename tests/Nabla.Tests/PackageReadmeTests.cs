namespace Nabla.Tests;

/// <summary>The library package's readme shows the README's library section word for word, so the two cannot drift apart.</summary>
public class PackageReadmeTests
{
    [Fact]
    public void TheLibraryPackageReadmeHoldsTheReadmesLibrarySection()
    {
        string root = Repository.Root;
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        int start = readme.IndexOf("## Using the library", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Using the library' section.");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = readme[start..(end < 0 ? readme.Length : end)].Trim();

        string package = File.ReadAllText(Path.Combine(root, "src", "Nabla", "PACKAGE.md")).ReplaceLineEndings("\n");
        Assert.Contains(section, package);
    }
}
