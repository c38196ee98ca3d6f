using System.Text;
using Nabla.Serialization;

namespace Nabla.Cli;

/// <summary>Writes text files atomically, so an interrupted run never leaves half a file.</summary>
internal static class TextFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/> (UTF-8, no BOM) all at once, creating its directory if needed.</summary>
    public static void Write(string path, string text)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        var bytes = new UTF8Encoding(false).GetBytes(text);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
