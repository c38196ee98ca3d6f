using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nabla.Playground.Sessions;
using Nabla.Playground.Web;

namespace Nabla.Playground;

/// <summary>
/// The playground's web server: ASP.NET Core's Kestrel on 127.0.0.1 only, serving the embedded page and its
/// API. Each browser tab gets a session whose own thread trains a network on the real engine and streams
/// what it learns to the page.
/// </summary>
/// <example><code>
/// await using var server = await PlaygroundServer.StartAsync(port: 0);   // 0: any free port
/// Console.WriteLine(server.Address);                                       // http://127.0.0.1:41234/
/// </code></example>
public sealed class PlaygroundServer : IAsyncDisposable
{
    /// <summary>How long stopping waits for open requests (event streams end at once) before closing connections.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;
    private readonly SessionRegistry _sessions;

    private PlaygroundServer(WebApplication app, SessionRegistry sessions, Uri address)
    {
        _app = app;
        _sessions = sessions;
        Address = address;
    }

    /// <summary>The page's address, such as <c>http://127.0.0.1:8017/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving on 127.0.0.1:<paramref name="port"/> (0 picks a free port; see <see cref="Address"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not in [0, 65535].</exception>
    /// <exception cref="IOException">The port is in use or cannot be bound.</exception>
    public static Task<PlaygroundServer> StartAsync(int port) =>
        StartAsync(port, PlaygroundLimits.MaxSessions, PlaygroundLimits.IdleSessionTimeout);

    /// <summary>Starts serving with a given session capacity and idle timeout (tests use small ones).</summary>
    internal static async Task<PlaygroundServer> StartAsync(int port, int maxSessions, TimeSpan idleTimeout)
    {
        if (port is < 0 or > IPEndPoint.MaxPort)
            throw new ArgumentOutOfRangeException(nameof(port), $"Expected a port from 0 to {IPEndPoint.MaxPort}; received {port}.");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            // Loopback only: the playground runs code on request and is for this machine's user.
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = PlaygroundLimits.MaxUploadBytes + 64 * 1024;
            kestrel.Limits.MaxConcurrentConnections = 4 * PlaygroundLimits.MaxSessions + 64;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var app = builder.Build();
        var sessions = new SessionRegistry(maxSessions, idleTimeout);
        int boundPort = port;
        app.Use(async (context, next) =>
        {
            if (RequestGuard.Refusal(context.Request, boundPort) is { } refusal)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync(refusal);
                return;
            }
            await next(context);
        });
        app.UseRouting();
        new Endpoints(sessions, new StaticAssets()).Map(app);
        app.Lifetime.ApplicationStopping.Register(sessions.Dispose);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            sessions.Dispose();
            await app.DisposeAsync();
            throw;
        }
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        boundPort = new Uri(bound).Port;
        return new PlaygroundServer(app, sessions, new Uri($"http://127.0.0.1:{boundPort}/"));
    }

    /// <summary>Open sessions (tabs), for tests and status lines.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Stops serving: event streams end, sessions stop training, connections close within a few seconds.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        _sessions.Dispose();
        await _app.DisposeAsync();
    }
}
