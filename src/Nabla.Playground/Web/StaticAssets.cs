using Microsoft.AspNetCore.Http;

namespace Nabla.Playground.Web;

/// <summary>
/// The page's files, embedded in the assembly (HTML, CSS and plain JavaScript, no build step): served by
/// name from a fixed table, so no request ever reaches the file system.
/// </summary>
internal sealed class StaticAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>
    /// Scripts, styles and connections from this server only; no inline script, no frames. The page works offline
    /// and a value echoed into it cannot run as code.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    private readonly Dictionary<string, (byte[] Bytes, string ContentType)> _files = new(StringComparer.Ordinal);

    /// <summary>Reads every embedded file of the page.</summary>
    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string path = "/" + name[Prefix.Length..];
            _files[path] = (copy.ToArray(), ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"));
        }
        if (!_files.ContainsKey("/index.html"))
            throw new InvalidOperationException("The playground page (wwwroot/index.html) is not embedded in the assembly.");
    }

    /// <summary>The paths served, such as <c>/index.html</c>.</summary>
    public IEnumerable<string> Paths => _files.Keys;

    /// <summary>Writes the file at <paramref name="path"/> (<c>/</c> is <c>/index.html</c>), or 404.</summary>
    public Task Serve(HttpContext context, string path)
    {
        if (!_files.TryGetValue(path == "/" ? "/index.html" : path, out var file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("Not found.");
        }
        var headers = context.Response.Headers;
        headers.ContentType = file.ContentType;
        headers.CacheControl = "no-cache";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Content-Security-Policy"] = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return context.Response.Body.WriteAsync(file.Bytes).AsTask();
    }
}
