using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Nabla.Playground.Tests.Browser;

/// <summary>
/// Headless Chromium driven over the DevTools protocol (a WebSocket, no driver to download): one page,
/// JavaScript evaluation, screenshots, downloads into a directory, and every uncaught page error collected.
/// The browser runs isolated: a fresh profile, no GPU, no sandbox (containers), no background network.
/// </summary>
internal sealed partial class DevTools : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private Task _reader = Task.CompletedTask;
    private int _nextId;
    private string _session = "";

    private DevTools(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Uncaught exceptions and console errors the page produced.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    /// <summary>The Chromium executable on PATH (<c>chromium</c>, as Debian installs it), or null.</summary>
    public static string? FindChromium() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => new[] { Path.Combine(dir, "chromium"), Path.Combine(dir, "chromium-browser") })
            .FirstOrDefault(File.Exists);

    /// <summary>Starts Chromium with a <paramref name="width"/> × <paramref name="height"/> page, downloads going to <paramref name="downloads"/>.</summary>
    public static async Task<DevTools> Launch(int width, int height, string downloads)
    {
        string chromium = FindChromium() ?? throw new InvalidOperationException("CI is set but chromium is not installed: .ci/run must `apt-get install -y chromium` first.");
        string profile = Directory.CreateTempSubdirectory("nabla-playground-chromium-").FullName;
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
                     "--remote-debugging-port=0", "--hide-scrollbars", $"--window-size={width},{height}", "about:blank"])
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {chromium}.");
        var devtools = new DevTools(process, profile);
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } m)
                address.TrySetResult(m.Groups[1].Value);
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            string url = await address.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await devtools.Connect(new Uri(url), width, height, downloads);
            return devtools;
        }
        catch
        {
            await devtools.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a DevTools command to the page (or, with <paramref name="browser"/>, to the browser) and returns its result.</summary>
    public async Task<JsonElement> Send(string method, object? parameters = null, bool browser = false)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = JsonSerializer.SerializeToNode(parameters ?? new { }) };
        if (!browser && _session.Length > 0)
            message["sessionId"] = _session;
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        return await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonElement> Evaluate(string expression)
    {
        var result = await Send("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException($"The page threw evaluating {expression}: {exception.GetRawText()}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>The text of the element with id <paramref name="id"/>.</summary>
    public async Task<string> Text(string id) => (await Evaluate($"document.getElementById('{id}').textContent")).GetString() ?? "";

    /// <summary>Clicks the element matching <paramref name="selector"/>.</summary>
    public Task Click(string selector) => Evaluate($"document.querySelector({JsonSerializer.Serialize(selector)}).click()");

    /// <summary>Polls <paramref name="condition"/> (a JavaScript expression) until it is true; fails with <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public async Task WaitFor(string condition, string what, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            if ((await Evaluate($"!!({condition})")).ValueKind == JsonValueKind.True)
                return;
            await Task.Delay(50);
        }
        Assert.Fail($"Timed out after {seconds} s waiting for {what} ({condition}). Page message: {await Text("message")}; errors: {string.Join("; ", Errors)}");
    }

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public async Task Navigate(Uri url)
    {
        await Send("Page.navigate", new { url = url.AbsoluteUri });
        await WaitFor("document.readyState === 'complete' && location.href !== 'about:blank'", $"{url} to load");
    }

    /// <summary>Saves a PNG of the whole page to <paramref name="path"/>.</summary>
    public async Task Screenshot(string path)
    {
        var metrics = await Send("Page.getLayoutMetrics");
        var size = metrics.GetProperty("cssContentSize");
        var clip = new { x = 0, y = 0, width = size.GetProperty("width").GetDouble(), height = size.GetProperty("height").GetDouble(), scale = 1 };
        var shot = await Send("Page.captureScreenshot", new { format = "png", clip, captureBeyondViewport = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The browser is going away anyway.
        }
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _socket.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; the temp directory is only litter.
        }
    }

    private async Task Connect(Uri browserUrl, int width, int height, string downloads)
    {
        await _socket.ConnectAsync(browserUrl, _stop.Token);
        _reader = Task.Run(Read);
        var target = await Send("Target.createTarget", new { url = "about:blank" }, browser: true);
        var attached = await Send("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true }, browser: true);
        _session = attached.GetProperty("sessionId").GetString()!;
        await Send("Browser.setDownloadBehavior", new { behavior = "allow", downloadPath = downloads, eventsEnabled = true }, browser: true);
        await Send("Page.enable");
        await Send("Runtime.enable");
        await Send("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
    }

    private async Task Read()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult part;
            try
            {
                part = await _socket.ReceiveAsync(buffer, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
                break;
            }
            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage)
                continue;
            var root = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            message.SetLength(0);
            if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var done))
            {
                if (root.TryGetProperty("error", out var error))
                    done.SetException(new InvalidOperationException($"DevTools error: {error.GetRawText()}"));
                else
                    done.SetResult(root.GetProperty("result").Clone());
            }
            else if (root.TryGetProperty("method", out var method))
                Observe(method.GetString()!, root.GetProperty("params"));
        }
    }

    private void Observe(string method, JsonElement parameters)
    {
        string? error = method switch
        {
            "Runtime.exceptionThrown" => parameters.GetProperty("exceptionDetails").GetRawText(),
            "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "assert" => parameters.GetProperty("args").GetRawText(),
            _ => null,
        };
        if (error is not null)
            lock (_errors)
                _errors.Add(error.Length > 500 ? error[..500] : error);
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex ListeningLine();
}
