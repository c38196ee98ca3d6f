using Nabla.IO;
using Nabla.Serialization;
using Nabla.Tests.Serialization;

namespace Nabla.Tests.IO;

/// <summary>The one atomic writer: the temporary sibling exists only while writing, and a failure leaves the old file.</summary>
public class AtomicFileTests
{
    [Fact]
    public void The_temporary_file_exists_while_writing_and_is_removed_when_the_write_fails()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        SafeTensorsFile.Write(path, [SafeTensor.FromFloat32("w", [2], [1, 2])]);
        string[]? seenWhileWriting = null;

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            seenWhileWriting = dir.Entries();
            throw new IOException("disk full");
        }));

        Assert.NotNull(seenWhileWriting);
        Assert.Contains(seenWhileWriting, name => name.StartsWith("model.safetensors.tmp-", StringComparison.Ordinal));
        Assert.Equal(["model.safetensors"], dir.Entries());
        Assert.Equal([1f, 2f], SafeTensorsFile.Read(path).GetFloat32("w"));
    }

    [Fact]
    public void Text_goes_into_a_new_directory_as_utf8_without_a_byte_order_mark_and_replaces_the_old_text()
    {
        using var dir = new TempDirectory();
        string path = dir.File(Path.Combine("figures", "loss.svg"));

        AtomicFile.WriteText(path, "first");
        AtomicFile.WriteText(path, "λ = 0.01");

        Assert.Equal("λ = 0.01"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["loss.svg"], Directory.GetFileSystemEntries(dir.File("figures")).Select(Path.GetFileName));
    }
}
