using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nabla.Playground.Sessions;

namespace Nabla.Playground.Web;

/// <summary>
/// Streams a session to its page as server-sent events: <c>event: data</c> when a run starts, <c>event: frame</c>
/// with the newest frame (older ones are skipped, never queued), and a comment every 15 seconds so a closed
/// tab is noticed. The stream ends when the page goes away or the server stops.
/// </summary>
internal static class ServerSentEvents
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    /// <summary>Streams <paramref name="session"/> until the request or the server ends.</summary>
    public static async Task Stream(HttpContext context, Session session)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var token = ended.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        session.Subscribe();
        try
        {
            await Write(response, ": connected\n\n", token);
            long dataVersion = 0, frameVersion = 0;
            while (!token.IsCancellationRequested)
            {
                var changed = Task.WhenAny(session.DataEvents.Changed, session.Frames.Changed);
                var (dv, data) = session.DataEvents.Latest;
                if (dv != dataVersion && data is not null)
                {
                    await Write(response, $"event: data\ndata: {data}\n\n", token);
                    dataVersion = dv;
                }
                var (fv, frame) = session.Frames.Latest;
                if (fv != frameVersion && frame is not null)
                {
                    await Write(response, $"event: frame\ndata: {frame}\n\n", token);
                    frameVersion = fv;
                }
                try
                {
                    await changed.WaitAsync(Heartbeat, token);
                }
                catch (TimeoutException)
                {
                    await Write(response, ": ping\n\n", token);
                }
                session.Touch();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page closed or the server is stopping: the stream simply ends.
        }
        finally
        {
            session.Unsubscribe();
        }
    }

    private static async Task Write(HttpResponse response, string text, CancellationToken token)
    {
        await response.WriteAsync(text, token);
        await response.Body.FlushAsync(token);
    }
}
