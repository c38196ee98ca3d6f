using Nabla.IO;
using Nabla.Tests.Serialization;

namespace Nabla.Tests.IO;

/// <summary>A set of files replaced together: all new after a commit, all old after any failure, never a mix.</summary>
public class AtomicFileSetTests
{
    private static void Write(string path, string text) => File.WriteAllText(path, text);

    [Fact]
    public void ACommitReplacesEveryFileAndAddsTheNewOnesLeavingNoStaging()
    {
        using var dir = new TempDirectory();
        Write(dir.File("a.txt"), "old a");
        Write(dir.File("b.txt"), "old b");
        Write(dir.File("mine.txt"), "not part of the set");

        IReadOnlyList<string> paths;
        using (var set = new AtomicFileSet(dir.Path))
        {
            foreach (var (name, text) in new[] { ("a.txt", "new a"), ("b.txt", "new b"), ("c.txt", "new c") })
                AtomicFile.WriteText(set.Stage(name), text);
            Assert.Equal("old a", File.ReadAllText(dir.File("a.txt"))); // nothing changes before the commit
            paths = set.Commit(["c.txt", "a.txt"]);
        }

        Assert.Equal([dir.File("c.txt"), dir.File("a.txt"), dir.File("b.txt")], paths);
        Assert.Equal(["new a", "new b", "new c", "not part of the set"], new[] { "a.txt", "b.txt", "c.txt", "mine.txt" }.Select(n => File.ReadAllText(dir.File(n))));
        Assert.Equal(["a.txt", "b.txt", "c.txt", "mine.txt"], dir.Entries().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AFailureWhileSwappingPutsBackEveryFileSwappedBeforeIt()
    {
        using var dir = new TempDirectory();
        Write(dir.File("a.txt"), "old a");
        Write(dir.File("b.txt"), "old b");
        // c.txt cannot be replaced: a directory of that name is in the way.
        Directory.CreateDirectory(dir.File("c.txt"));
        Write(Path.Combine(dir.File("c.txt"), "inside"), "x");

        using (var set = new AtomicFileSet(dir.Path))
        {
            foreach (var name in new[] { "a.txt", "b.txt", "c.txt", "d.txt" })
                AtomicFile.WriteText(set.Stage(name), "new " + name);
            var e = Assert.Throws<IOException>(() => set.Commit(["a.txt", "d.txt", "b.txt", "c.txt"]));
            Assert.Contains("failed at c.txt", e.Message);
            Assert.Contains("the files swapped before it were put back", e.Message);
        }

        Assert.Equal("old a", File.ReadAllText(dir.File("a.txt")));
        Assert.Equal("old b", File.ReadAllText(dir.File("b.txt")));
        Assert.False(File.Exists(dir.File("d.txt")));
        Assert.Equal(["a.txt", "b.txt", "c.txt"], dir.Entries().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DisposingWithoutACommitLeavesTheDirectoryAsItWas()
    {
        using var dir = new TempDirectory();
        Write(dir.File("a.txt"), "old a");

        using (var set = new AtomicFileSet(dir.Path))
            AtomicFile.WriteText(set.Stage("a.txt"), "new a");

        Assert.Equal(["a.txt"], dir.Entries());
        Assert.Equal("old a", File.ReadAllText(dir.File("a.txt")));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("sub/file.txt")]
    [InlineData("..")]
    [InlineData("")]
    public void OnlyPlainFileNamesMayBeStaged(string name)
    {
        using var dir = new TempDirectory();
        using var set = new AtomicFileSet(dir.Path);

        Assert.Throws<ArgumentException>(() => set.Stage(name));
    }

    [Fact]
    public void LeftoverStagingDirectoriesAreRemovedAndNothingElse()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File(AtomicFileSet.StagingPrefix + "0011223344556677"));
        Write(Path.Combine(dir.File(AtomicFileSet.StagingPrefix + "0011223344556677"), "model.safetensors"), "half");
        Directory.CreateDirectory(dir.File("figures"));
        Write(dir.File("model.safetensors"), "whole");

        AtomicFileSet.RemoveLeftovers(dir.Path);

        Assert.Equal(["figures", "model.safetensors"], dir.Entries().Order(StringComparer.Ordinal));
    }
}
