using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

/// <summary>A failed write leaves the previous file exactly as it was and no temporary file behind.</summary>
public class AtomicWriteTests
{
    private static readonly SafeTensor[] Original = [SafeTensor.FromFloat32("w", [2], [1, 2])];

    [Fact]
    public void A_tensor_enumeration_that_throws_midway_leaves_the_old_file_intact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Original);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<InvalidOperationException>(() => SafeTensorsFile.Write(path, ThrowAfterOne()));

        Assert.Equal("the training run crashed", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], dir.Entries());
    }

    [Fact]
    public void Invalid_tensors_fail_before_anything_replaces_the_old_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Original);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [.. Original, SafeTensor.FromFloat64("w", [1], [3])]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], dir.Entries());
    }

    [Fact]
    public void A_rename_that_fails_removes_the_complete_temporary_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("taken");
        Directory.CreateDirectory(path); // a directory where the file should go: the final move fails

        Assert.ThrowsAny<IOException>(() => SafeTensorsFile.Write(path, Original));

        Assert.Equal(["taken"], dir.Entries());
    }

    [Fact]
    public void A_missing_directory_fails_without_creating_anything()
    {
        using var dir = new TempDirectory();

        Assert.Throws<DirectoryNotFoundException>(() => SafeTensorsFile.Write(dir.File("no/such/model.safetensors"), Original));

        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void A_successful_write_replaces_the_old_file_and_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Original);

        SafeTensorsFile.Write(path, [SafeTensor.FromFloat64("v", [1], [9])], new Dictionary<string, string> { ["epoch"] = "2" });

        var file = SafeTensorsFile.Read(path);
        Assert.Equal([9.0], file.GetFloat64("v"));
        Assert.False(file.Contains("w"));
        Assert.Equal("2", file.Metadata["epoch"]);
        Assert.Equal(["model.safetensors"], dir.Entries());
    }

    private static IEnumerable<SafeTensor> ThrowAfterOne()
    {
        yield return SafeTensor.FromFloat32("first", [1], [1]);
        throw new InvalidOperationException("the training run crashed");
    }
}
