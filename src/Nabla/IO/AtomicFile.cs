using System.Security.Cryptography;
using System.Text;

namespace Nabla.IO;

/// <summary>
/// Replaces a file all at once: readers see either the old file or the complete new one, never a
/// half-written mix, even if the process dies in the middle of the write. Every file Nabla writes (models,
/// checkpoints, histories, figures, reports, predictions) goes through here.
/// </summary>
/// <remarks>
/// The content goes to <c>path + ".tmp-" + 16 random hex digits</c> in the same directory (so the
/// final rename stays on one file system and is atomic), is flushed to the disk with fsync, and is
/// then renamed over the target path. If anything fails the temporary file is deleted and
/// the old file is left untouched. A process killed between creating and renaming the temporary
/// file leaves it behind; it never shadows the real file. The directory entry itself is not
/// fsynced (.NET has no portable way to), so after a power loss the rename may be undone, leaving the
/// previous complete file.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream it is given; its directory must exist.</summary>
    /// <exception cref="IOException">The temporary file could not be written or renamed.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string tempPath = fullPath + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        try
        {
            // CreateNew: never reuse (and so never truncate) a file someone else owns.
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> as UTF-8 (no BOM) to <paramref name="path"/> atomically, creating its directory
    /// first: figures, reports and histories go into output folders that may not exist yet.
    /// </summary>
    /// <exception cref="IOException">The directory, the temporary file or the rename failed.</exception>
    public static void WriteText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        Write(path, stream => stream.Write(bytes));
    }

    private static void TryDelete(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The exception that brought us here says what went wrong; a failed clean-up must not hide it.
        }
    }
}
