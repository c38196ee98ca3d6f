using System.Net;
using System.Text;
using System.Text.Json;

namespace Nabla.Playground.Tests;

/// <summary>A real playground server on a free loopback port, with an HTTP client pointed at it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(PlaygroundServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public PlaygroundServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> Start(int maxSessions = PlaygroundLimits.MaxSessions, TimeSpan? idleTimeout = null) =>
        new(await PlaygroundServer.StartAsync(0, maxSessions, idleTimeout ?? PlaygroundLimits.IdleSessionTimeout));

    /// <summary>Opens a session and returns its id.</summary>
    public async Task<string> CreateSession()
    {
        using var response = await Client.PostAsync("/api/sessions", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>POSTs <paramref name="body"/> as text; returns the status and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> Post(string path, string body)
    {
        using var response = await Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "text/plain"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends settings that must be accepted; returns the canonical settings text.</summary>
    public async Task<string> Settings(string session, string settings)
    {
        var (status, body) = await Post($"/api/sessions/{session}/settings", settings);
        Assert.True(status == HttpStatusCode.OK, $"settings '{settings}' were refused: {status} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("settings").GetString()!;
    }

    /// <summary>Sends a control that must be accepted.</summary>
    public async Task Control(string session, string action)
    {
        var (status, body) = await Post($"/api/sessions/{session}/control", action);
        Assert.True(status == HttpStatusCode.NoContent, $"control '{action}' was refused: {status} {body}");
    }

    /// <summary>The error message of a refused response, checking its status.</summary>
    public static string Error(HttpStatusCode expected, (HttpStatusCode Status, string Body) response)
    {
        Assert.True(response.Status == expected, $"expected {(int)expected}, received {(int)response.Status}: {response.Body}");
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.GetProperty("error").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
