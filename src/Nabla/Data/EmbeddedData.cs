using System.Reflection;

namespace Nabla.Data;

/// <summary>Reads the data files shipped inside the assembly (<c>Data/Builtin/*.csv</c>).</summary>
internal static class EmbeddedData
{
    /// <summary>The text of the embedded file <paramref name="fileName"/>.</summary>
    public static string ReadText(string fileName)
    {
        string resource = $"Nabla.Data.Builtin.{fileName}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the Nabla assembly; the build is broken.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
