namespace Nabla.IO;

/// <summary>
/// Writes a file a user named for output (<c>predict --output</c>) the way a shell's <c>&gt;</c> would reach it, but
/// atomically where that is possible: a regular file is replaced with <see cref="AtomicFile"/>; a symbolic link is
/// followed and the file it points to is replaced, so the link stays a link; a FIFO, a terminal, a socket or a device
/// (<c>/dev/stdout</c>, <c>/dev/null</c>) is opened and written to, never replaced by a regular file.
/// </summary>
public static class OutputFile
{
    /// <summary>Writes what <paramref name="write"/> puts in the stream it is given to <paramref name="path"/>; a new file's directory must exist.</summary>
    /// <exception cref="IOException">The file could not be opened or written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        if (OpenSpecial(path) is { } special)
        {
            using (special)
            {
                write(special);
                special.Flush();
            }
            return;
        }
        AtomicFile.Write(FollowLinks(path), write);
    }

    /// <summary>The path a chain of symbolic links at <paramref name="path"/> ends at (which may not exist yet), or <paramref name="path"/> itself.</summary>
    /// <exception cref="IOException">More than 40 links in a row (Linux's own limit), as in a loop.</exception>
    private static string FollowLinks(string path)
    {
        string current = Path.GetFullPath(path);
        for (int hops = 0; hops < 40; hops++)
        {
            if (new FileInfo(current).LinkTarget is not { } target)
                return current;
            current = Path.GetFullPath(target, Path.GetDirectoryName(current)!);
        }
        throw new IOException($"{path}: too many levels of symbolic links.");
    }

    /// <summary>
    /// <paramref name="path"/> (links followed) opened for writing when it is an existing file but not a regular one, else null.
    /// .NET does not expose a file's type, so it asks the file: only a regular file both seeks and truncates to its own length.
    /// </summary>
    private static FileStream? OpenSpecial(string path)
    {
        FileStream stream;
        try
        {
            // Opening a FIFO for writing waits for a reader, as the shell's redirection does.
            stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // nothing there yet, or a link to nothing: a new file
        }
        try
        {
            if (stream.CanSeek)
            {
                stream.SetLength(stream.Length);
                stream.Dispose();
                return null;
            }
        }
        catch (IOException)
        {
            // A device: it seeks, but cannot be truncated.
        }
        return stream;
    }
}
