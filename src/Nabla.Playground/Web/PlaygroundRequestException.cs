namespace Nabla.Playground.Web;

/// <summary>A request the playground refuses: the message says what was expected and what was received, and goes back to the page.</summary>
/// <param name="message">What was expected and what was received.</param>
/// <param name="statusCode">The HTTP status: 400 for a bad value, 404 for an unknown session, 413 for too large a body, 503 when full.</param>
internal sealed class PlaygroundRequestException(string message, int statusCode = 400) : Exception(message)
{
    /// <summary>The HTTP status of the refusal.</summary>
    public int StatusCode { get; } = statusCode;
}
