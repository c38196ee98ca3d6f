using System.Text.Json;

namespace Nabla.Playground.Tests;

/// <summary>Reads a session's server-sent events: the newest data and frame, as they arrive.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly object _lock = new();
    private JsonElement? _data, _frame;
    private int _frames;

    public EventStream(HttpClient client, string session)
    {
        _reader = Task.Run(() => Read(client, session));
    }

    public int FrameCount
    {
        get { lock (_lock) return _frames; }
    }

    /// <summary>Waits until a frame satisfies <paramref name="condition"/> and returns it.</summary>
    public async Task<JsonElement> WaitForFrame(Func<JsonElement, bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            JsonElement? frame;
            lock (_lock)
                frame = _frame;
            if (frame is { } f && condition(f))
                return f;
            if (_reader.IsFaulted)
                throw _reader.Exception!;
            await Task.Delay(20);
        }
        Assert.Fail($"No frame {what} within {seconds} s; the last was: {Last("frame")}");
        return default;
    }

    /// <summary>Waits until a data event satisfies <paramref name="condition"/> and returns it.</summary>
    public async Task<JsonElement> WaitForData(Func<JsonElement, bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            JsonElement? data;
            lock (_lock)
                data = _data;
            if (data is { } d && condition(d))
                return d;
            await Task.Delay(20);
        }
        Assert.Fail($"No data event {what} within {seconds} s; the last was: {Last("data")}");
        return default;
    }

    private string Last(string kind)
    {
        lock (_lock)
        {
            var value = kind == "frame" ? _frame : _data;
            string text = value?.GetRawText() ?? "none";
            return text.Length > 400 ? text[..400] + "…" : text;
        }
    }

    private async Task Read(HttpClient client, string session)
    {
        using var response = await client.GetAsync($"/api/sessions/{session}/events", HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        string? kind = null;
        while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                kind = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var value = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                lock (_lock)
                {
                    if (kind == "data")
                        _data = value;
                    else
                    {
                        _frame = value;
                        _frames++;
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The stream was cut on purpose.
        }
        _stop.Dispose();
    }
}
