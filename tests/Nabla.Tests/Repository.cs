namespace Nabla.Tests;

/// <summary>
/// The repository these tests were built from, found from the test assembly's folder. Not from
/// <c>[CallerFilePath]</c>: a CI build (<c>ContinuousIntegrationBuild</c>) maps source paths to <c>/_/</c>.
/// </summary>
internal static class Repository
{
    /// <summary>The folder holding Nabla.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository, given by its parts.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"No Nabla.slnx above {AppContext.BaseDirectory}.");
    }
}
