using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Nabla.Playground.Web;

/// <summary>Reading bounded request bodies, writing JSON answers, and turning every refusal into its status and message.</summary>
internal static class HttpIo
{
    /// <summary>The body as UTF-8 text, refused when longer than <paramref name="maxChars"/> bytes.</summary>
    public static async Task<string> ReadText(HttpContext context, int maxChars)
    {
        if (context.Request.ContentLength > maxChars)
            throw new PlaygroundRequestException($"Expected a request body of at most {maxChars:N0} bytes; received {context.Request.ContentLength:N0}.", StatusCodes.Status413PayloadTooLarge);
        var buffer = new byte[maxChars + 1];
        int total = 0, read;
        while (total < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(total), context.RequestAborted)) > 0)
            total += read;
        if (total > maxChars)
            throw new PlaygroundRequestException($"Expected a request body of at most {maxChars:N0} bytes; received more.", StatusCodes.Status413PayloadTooLarge);
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary>Answers with <paramref name="value"/> as JSON and <paramref name="status"/>, never cached.</summary>
    public static Task Json(HttpContext context, object value, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(value, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        // Served as application/json only, never inlined into HTML, so quotes and ampersands may stay readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Runs <paramref name="handler"/>, turning every refusal into its status and message.</summary>
    public static async Task Handle(HttpContext context, Func<Task> handler)
    {
        try
        {
            await handler();
        }
        catch (PlaygroundRequestException e)
        {
            await Fail(context, e.StatusCode, e.Message);
        }
        catch (BadHttpRequestException e)
        {
            await Fail(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"Expected a request body of at most {PlaygroundLimits.MaxUploadBytes / (1024 * 1024)} MB; received more."
                : $"Malformed request: {e.Message}");
        }
        catch (TimeoutException)
        {
            await Fail(context, StatusCodes.Status503ServiceUnavailable, "The session did not answer in time; try again.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away; nobody is left to answer.
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            await Fail(context, StatusCodes.Status400BadRequest, e.Message);
        }
        catch (Exception e)
        {
            await Fail(context, StatusCodes.Status500InternalServerError, $"Internal error ({e.GetType().Name}: {e.Message}); please report it.");
        }
    }

    private static Task Fail(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
            return Task.CompletedTask;
        context.Response.Clear();
        return Json(context, new { error = message }, status);
    }
}
