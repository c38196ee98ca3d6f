using Microsoft.AspNetCore.Http;

namespace Nabla.Playground.Web;

/// <summary>
/// Answers only requests addressed to this machine by name: the Host header must be <c>127.0.0.1</c> or
/// <c>localhost</c> with the server's port, and a request that changes anything must come from the page
/// itself (its Origin, when the browser sends one). So another web site open in the same browser can
/// neither drive the playground nor read it through a rebinding DNS name.
/// </summary>
internal static class RequestGuard
{
    /// <summary>Null when <paramref name="request"/> may go on, else why it may not.</summary>
    public static string? Refusal(HttpRequest request, int port)
    {
        string host = request.Host.Value ?? "";
        if (!IsLocal(host, port))
            return $"The playground answers only requests addressed to 127.0.0.1:{port} or localhost:{port}; received Host '{Shorten(host)}'.";
        string origin = request.Headers.Origin.ToString();
        bool changes = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        if (changes && origin.Length > 0 && !(origin.StartsWith("http://", StringComparison.Ordinal) && IsLocal(origin["http://".Length..], port)))
            return $"The playground accepts changes only from its own page at http://127.0.0.1:{port}; received Origin '{Shorten(origin)}'.";
        return null;
    }

    private static bool IsLocal(string hostAndPort, int port) =>
        hostAndPort == $"127.0.0.1:{port}" || hostAndPort == $"localhost:{port}";

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
