using Nabla.IO;

namespace Nabla.Runs;

/// <summary>
/// One run at a time in an output directory: <see cref="Acquire"/> checks that the directory can be written (creating
/// it if needed) and holds <c>DIR/.nabla-lock</c> open with <see cref="FileShare.None"/>, which .NET on Linux and
/// macOS takes as an exclusive <c>flock</c>. A second run into the same directory is refused until the first ends.
/// </summary>
/// <remarks>
/// The operating system releases the lock when the holder closes the file or dies, so the file a killed run leaves
/// behind blocks nothing: the next run takes the lock on it, and removes the staging directories
/// (<see cref="AtomicFileSet"/>) such a run may have left. The file is never deleted, since deleting a lock file
/// lets two runs each lock a different file of the same name.
/// </remarks>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file's name in the output directory.</summary>
    public const string FileName = ".nabla-lock";

    private readonly FileStream _file;

    private RunLock(FileStream file, string directory)
    {
        _file = file;
        Directory = directory;
    }

    /// <summary>The directory held.</summary>
    public string Directory { get; }

    /// <summary>Checks that <paramref name="directory"/> can be written (creating it and its parents) and takes its lock.</summary>
    /// <exception cref="IOException">
    /// The directory cannot be written (an existing file is in the way, or it is read-only, or a parent is a file), or
    /// another process holds its lock; the message says which.
    /// </exception>
    public static RunLock Acquire(string directory)
    {
        RunOutputs.CheckWritable(directory);
        string path = Path.Combine(directory, FileName);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            // The directory was just written to, so a failure to open the lock file means another process holds it.
            throw new IOException($"Another run is writing into {directory} (it holds {path}); wait for it to end, or write elsewhere.", e);
        }
        AtomicFileSet.RemoveLeftovers(directory);
        return new RunLock(file, directory);
    }

    /// <summary>Releases the lock (the file stays).</summary>
    public void Dispose() => _file.Dispose();
}
