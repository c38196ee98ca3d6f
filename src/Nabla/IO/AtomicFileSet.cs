using System.Security.Cryptography;

namespace Nabla.IO;

/// <summary>
/// Replaces several files of one directory together: they are written into a staging directory inside it, then
/// swapped in, so the directory ends with every new file or, if anything fails, every old one, never a mix.
/// </summary>
/// <remarks>
/// The staging directory is <c>DIR/.nabla-staging-</c> followed by 16 random hex digits: inside the target
/// directory, so it is on the same file system even when the directory is a mount point, and every move is a
/// rename. Its files are written with <see cref="AtomicFile"/> (fsynced). <see cref="Commit"/> then puts each one in
/// place with <see cref="File.Replace(string, string, string?)"/>, which hard-links the old file as a backup before
/// renaming the new one over it (so the target never disappears), or with a rename where there was no file. If one
/// step fails, the files already swapped are renamed back from their backups (or removed where they were new), and
/// the error is thrown on. Renames need no free space, so a full disk fails while staging, before anything is
/// swapped. Not covered: the process dying during the swap itself (a few renames) leaves the files swapped so far,
/// with the rest and the backups in the staging directory.
/// </remarks>
public sealed class AtomicFileSet : IDisposable
{
    /// <summary>The start of a staging directory's name.</summary>
    public const string StagingPrefix = ".nabla-staging-";

    private const string BackupFolder = "previous";

    private bool _keepStaging;

    /// <summary>Creates the staging directory in <paramref name="directory"/> (which is created if needed).</summary>
    /// <exception cref="IOException">The directory cannot be created or written.</exception>
    public AtomicFileSet(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        StagingDirectory = Path.Combine(Directory, StagingPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        System.IO.Directory.CreateDirectory(StagingDirectory);
    }

    /// <summary>The directory whose files are replaced.</summary>
    public string Directory { get; }

    /// <summary>Where the new files are written before <see cref="Commit"/>.</summary>
    public string StagingDirectory { get; }

    /// <summary>The staging path of the file <paramref name="name"/> (a plain file name, no directory).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a plain file name.</exception>
    public string Stage(string name)
    {
        if (string.IsNullOrEmpty(name) || Path.GetFileName(name) != name || name is "." or "..")
            throw new ArgumentException($"Expected a plain file name; received '{name}'.", nameof(name));
        return Path.Combine(StagingDirectory, name);
    }

    /// <summary>The final path of the file <paramref name="stagedPath"/> once committed.</summary>
    public string Final(string stagedPath) => Path.Combine(Directory, Path.GetFileName(stagedPath));

    /// <summary>
    /// Moves every file written into the staging directory into <see cref="Directory"/>, replacing files of the same
    /// name, all or nothing; returns the final paths in the order given by <paramref name="order"/> (the rest after, by name).
    /// </summary>
    /// <param name="order">File names to swap first, in this order (the rest follow in ordinal order); names not staged are ignored.</param>
    /// <exception cref="IOException">A swap failed; the files swapped before it were put back (or, if that failed too, the message says where they are).</exception>
    public IReadOnlyList<string> Commit(IReadOnlyList<string>? order = null)
    {
        var staged = System.IO.Directory.GetFiles(StagingDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var names = (order ?? []).Where(staged.Contains).Concat(staged.Except(order ?? [])).ToList();
        string backups = Path.Combine(StagingDirectory, BackupFolder);
        System.IO.Directory.CreateDirectory(backups);
        var swapped = new List<(string Name, bool Replaced)>();
        string current = "";
        try
        {
            foreach (string name in names)
            {
                current = name;
                string target = Path.Combine(Directory, name);
                bool replace = File.Exists(target);
                if (replace)
                    File.Replace(Path.Combine(StagingDirectory, name), target, Path.Combine(backups, name));
                else
                    File.Move(Path.Combine(StagingDirectory, name), target);
                swapped.Add((name, replace));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Restore(swapped, backups, e);
            throw new IOException($"Swapping the new files into {Directory} failed at {current} ({e.Message}); the files swapped before it were put back.", e);
        }
        return [.. names.Select(n => Path.Combine(Directory, n))];
    }

    /// <summary>Deletes the staging directory and what is left in it (unless a failed restore left the previous files there).</summary>
    public void Dispose()
    {
        if (_keepStaging)
            return;
        try
        {
            System.IO.Directory.Delete(StagingDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; it never shadows a real file, and the next run of the directory removes it.
        }
    }

    /// <summary>Deletes staging directories that runs which died left in <paramref name="directory"/>; call it only while no other run writes there.</summary>
    public static void RemoveLeftovers(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            return;
        foreach (string leftover in System.IO.Directory.EnumerateDirectories(directory, StagingPrefix + "*"))
        {
            try
            {
                System.IO.Directory.Delete(leftover, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Harmless where it is.
            }
        }
    }

    private void Restore(List<(string Name, bool Replaced)> swapped, string backups, Exception cause)
    {
        for (int i = swapped.Count - 1; i >= 0; i--)
        {
            var (name, replaced) = swapped[i];
            string target = Path.Combine(Directory, name);
            try
            {
                if (replaced)
                    File.Move(Path.Combine(backups, name), target, overwrite: true);
                else
                    File.Delete(target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _keepStaging = true;
                throw new IOException(
                    $"Swapping the new files into {Directory} failed ({cause.Message}), and putting the previous {name} back failed too ({e.Message}); " +
                    $"the previous files not yet restored are in {backups}.", cause);
            }
        }
    }
}
