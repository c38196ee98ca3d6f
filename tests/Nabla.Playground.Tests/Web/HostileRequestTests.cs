using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Nabla.Playground.Tests.Web;

/// <summary>
/// Hostile requests against the real server on a free loopback port: every one is refused with a status and a
/// message that says what was expected and received, and the server goes on serving (each test ends by
/// training a fresh session).
/// </summary>
public sealed class HostileRequestTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.Start();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("samples=1000000000", "samples: expected a whole number from 20 to 5,000; received '1000000000'.")]
    [InlineData("samples=-5", "samples: expected a whole number from 20 to 5,000; received '-5'.")]
    [InlineData("layers=1000000", "layers: expected sizes from 1 to 32 units")]
    [InlineData("layers=8,8,8,8,8,8,8", "layers: expected at most 6 hidden layers; received 7.")]
    [InlineData("learningRate=NaN", "learningRate: expected a number in (0, 10]; received 'NaN'.")]
    [InlineData("learningRate=Infinity", "learningRate: expected a number in (0, 10]; received 'Infinity'.")]
    [InlineData("learningRate=1e999", "learningRate: expected a number in (0, 10]; received '1e999'.")]
    [InlineData("weightDecay=-Infinity", "weightDecay: expected a number in [0, 10]; received '-Infinity'.")]
    [InlineData("noise=nan", "noise: expected a number in [0, 2]; received 'nan'.")]
    [InlineData("dropout=1", "dropout: expected a probability in [0, 0.9]; received '1'.")]
    [InlineData("batchSize=0", "batchSize: expected a whole number from 1 to 20,000, or full; received '0'.")]
    [InlineData("seed=-1", "seed: expected a whole number from 0 to 18446744073709551615; received '-1'.")]
    [InlineData("dataset=/etc/passwd", "dataset: expected one of gaussians, moons, circles, spiral, xor, upload; received '/etc/passwd'.")]
    [InlineData("dataset=..%2F..%2Fetc%2Fpasswd.csv", "dataset: expected one of gaussians, moons, circles, spiral, xor, upload; received '../../etc/passwd.csv'.")]
    [InlineData("dataset=upload", "dataset=upload needs a CSV file; upload one first")]
    [InlineData("activation=<script>", "activation: expected one of tanh, sigmoid, relu, leaky-relu; received '<script>'.")]
    [InlineData("optimizer=adam&momentum=0.9", "momentum applies to optimizer=sgd")]
    [InlineData("layers=8&layers=4", "The setting 'layers' is given twice")]
    [InlineData("speed=max", "Unknown setting 'speed'")]
    [InlineData("data=%2Fetc%2Fpasswd", "Unknown setting 'data'")]
    public async Task Bad_settings_are_refused_with_what_was_expected_and_received(string settings, string message)
    {
        string session = await _server.CreateSession();
        string error = TestServer.Error(HttpStatusCode.BadRequest, await _server.Post($"/api/sessions/{session}/settings", settings));
        Assert.Contains(message, error);
        await AssertStillServing();
    }

    [Fact]
    public async Task Settings_longer_than_the_limit_are_refused_unread()
    {
        string session = await _server.CreateSession();
        string error = TestServer.Error(HttpStatusCode.RequestEntityTooLarge,
            await _server.Post($"/api/sessions/{session}/settings", "seed=" + new string('9', 100_000)));
        Assert.Contains("at most 2,000 bytes; received 100,005", error);
        await AssertStillServing();
    }

    [Theory]
    [InlineData("jump", "Expected a control of play, pause, step, reset, speed=N|max or focus=LAYER,UNIT|none; received 'jump'.")]
    [InlineData("speed=NaN", "speed: expected steps per second from 1 to 1,000,000, or max; received 'NaN'.")]
    [InlineData("speed=0", "speed: expected steps per second from 1 to 1,000,000, or max; received '0'.")]
    [InlineData("focus=99,0", "focus: expected LAYER,UNIT")]
    [InlineData("focus=../../x", "focus: expected LAYER,UNIT")]
    [InlineData("reset", "The session has no run to reset yet")]
    public async Task Bad_controls_are_refused(string control, string message)
    {
        string session = await _server.CreateSession();
        Assert.Contains(message, TestServer.Error(HttpStatusCode.BadRequest, await _server.Post($"/api/sessions/{session}/control", control)));
        await AssertStillServing();
    }

    [Fact]
    public async Task A_one_gigabyte_upload_is_refused_before_its_body_is_sent()
    {
        string session = await _server.CreateSession();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/upload?name=huge.csv")
        {
            Content = new StreamContent(new ZeroStream(1L << 30)),
        };
        request.Content.Headers.ContentLength = 1L << 30;
        request.Headers.ExpectContinue = true;
        using var response = await _server.Client.SendAsync(request);
        string error = TestServer.Error(HttpStatusCode.RequestEntityTooLarge, (response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Equal("Expected a CSV file of at most 10 MB; received 1,024.0 MB.", error);
        await AssertStillServing();
    }

    [Fact]
    public async Task An_upload_without_a_length_is_cut_off_at_the_limit()
    {
        string session = await _server.CreateSession();
        var content = new StreamContent(new ZeroStream(PlaygroundLimits.MaxUploadBytes + 10_000));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{session}/upload?name=long.csv") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _server.Client.SendAsync(request);
        Assert.Contains("Expected a CSV file of at most 10 MB", TestServer.Error(HttpStatusCode.RequestEntityTooLarge, (response.StatusCode, await response.Content.ReadAsStringAsync())));
        await AssertStillServing();
    }

    [Theory]
    [InlineData("a,b,label\n1,2,x\n3,oops,y\n", "bad.csv: line 3, column 2 ('b'): expected a number; received 'oops'.")]
    [InlineData("", "bad.csv: the file is empty")]
    [InlineData("a,b,label\n1,2\n", "bad.csv: line 2: expected 3 fields like the header (line 1); received 2.")]
    [InlineData("\0\u0001\u0002binary\n", "bad.csv")]
    public async Task Malformed_csv_files_are_refused_with_the_cli_readers_message(string csv, string message)
    {
        string session = await _server.CreateSession();
        var (status, body) = await Upload(session, "bad.csv", csv);
        Assert.Contains(message, TestServer.Error(HttpStatusCode.BadRequest, (status, body)));
        await AssertStillServing();
    }

    [Fact]
    public async Task A_csv_whose_label_is_a_measurement_is_refused_as_too_many_classes()
    {
        string session = await _server.CreateSession();
        var csv = new StringBuilder("a,b,price\n");
        for (int i = 0; i < 100; i++)
            csv.Append(i).Append(',').Append(i % 7).Append(',').Append(1000 + i).Append('\n');
        string error = TestServer.Error(HttpStatusCode.BadRequest, await Upload(session, "prices.csv", csv.ToString()));
        Assert.Contains("prices.csv: expected at most 20 classes in the last column; received 100 distinct labels.", error);
    }

    [Fact]
    public async Task An_uploaded_file_name_never_becomes_a_path()
    {
        string session = await _server.CreateSession();
        var (status, body) = await Upload(session, "../../etc/passwd", Csv.ThreeBlobs(60));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"name\":\"passwd.csv\"", body);
    }

    [Fact]
    public async Task A_hundred_sessions_are_refused_beyond_the_cap_and_closing_one_makes_room()
    {
        var opened = new List<string>();
        var refusals = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            using var response = await _server.Client.PostAsync("/api/sessions", null);
            string body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
                opened.Add(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
            else
                refusals.Add(TestServer.Error(HttpStatusCode.ServiceUnavailable, (response.StatusCode, body)));
        }
        Assert.Equal(PlaygroundLimits.MaxSessions, opened.Count);
        Assert.Equal(100 - PlaygroundLimits.MaxSessions, refusals.Count);
        Assert.StartsWith($"The playground already has {PlaygroundLimits.MaxSessions} open sessions, the most it serves at once; close another playground tab", refusals[0]);
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Post($"/api/sessions/{opened[0]}/close", "")).Status);
        await AssertStillServing();
    }

    [Fact]
    public async Task Unknown_sessions_paths_hosts_and_origins_are_refused()
    {
        Assert.Contains("No open session has the id 'nope'", TestServer.Error(HttpStatusCode.NotFound, await _server.Post("/api/sessions/nope/control", "play")));
        using (var response = await _server.Client.GetAsync("/../../etc/passwd"))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using (var response = await _server.Client.GetAsync("/wwwroot/index.html"))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        int port = _server.Server.Address.Port;
        using (var rebound = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            rebound.Headers.Host = $"attacker.example:{port}";
            using var response = await _server.Client.SendAsync(rebound);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains($"only requests addressed to 127.0.0.1:{port} or localhost:{port}; received Host 'attacker.example:{port}'", await response.Content.ReadAsStringAsync());
        }
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/api/sessions"))
        {
            forged.Headers.Add("Origin", "http://evil.example");
            using var response = await _server.Client.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("received Origin 'http://evil.example'", await response.Content.ReadAsStringAsync());
        }
        await AssertStillServing();
    }

    [Fact]
    public async Task The_page_is_served_self_contained_with_a_strict_content_security_policy()
    {
        using var response = await _server.Client.GetAsync("/");
        response.EnsureSuccessStatusCode();
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        foreach (string path in (string[])["/", "/playground.css", "/js/main.js", "/js/controls.js", "/js/state.js", "/js/draw.js", "/js/network.js"])
        {
            string text = await _server.Client.GetStringAsync(path);
            Assert.DoesNotContain("http://", text.Replace("http://127.0.0.1", ""));
            Assert.DoesNotContain("https://", text);
        }
        Assert.Contains("id=\"iteration\"", html);
        Assert.Contains("id=\"loss-train\"", html);
        Assert.Contains("id=\"loss-test\"", html);
    }

    private async Task<(HttpStatusCode, string)> Upload(string session, string name, string csv)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await _server.Client.PostAsync($"/api/sessions/{session}/upload?name={Uri.EscapeDataString(name)}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The page loads, and a fresh session takes settings and trains one batch.</summary>
    private async Task AssertStillServing()
    {
        using (var page = await _server.Client.GetAsync("/"))
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, "dataset=xor&layers=4");
        await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused at the start");
        await _server.Control(session, "step");
        await events.WaitForFrame(f => f.GetProperty("iteration").GetInt64() == 1, "after one step");
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Post($"/api/sessions/{session}/close", "")).Status);
    }

    /// <summary>A stream of zero bytes of a given length, made as it is read (nothing is held in memory).</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
