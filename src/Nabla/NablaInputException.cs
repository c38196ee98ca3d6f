namespace Nabla;

/// <summary>
/// Input a user supplied is missing or malformed: a data file, a model file, a value. The message
/// names the file, where in it the problem is, and what was expected. The CLI maps it to exit code 3.
/// </summary>
public class NablaInputException : Exception
{
    /// <summary>Creates the exception; <paramref name="path"/> is the offending file, if any.</summary>
    public NablaInputException(string message, string? path = null, Exception? inner = null)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>The file the problem is in, or null when it is not about a file.</summary>
    public string? Path { get; }
}
