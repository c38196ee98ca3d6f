using System.Net;
using System.Text;
using System.Text.Json;
using Nabla.Playground.Views;

namespace Nabla.Playground.Tests.Sessions;

/// <summary>A session through the HTTP API: settings, play, pause, step, reset, focus, uploads and idle expiry.</summary>
public sealed class SessionTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.Start();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Settings_come_back_complete_with_the_datasets_own_defaults()
    {
        string session = await _server.CreateSession();
        Assert.Equal(
            "dataset=spiral&samples=300&noise=0.1&seed=0&layers=8,8&activation=tanh&loss=cross-entropy&init=xavier&optimizer=sgd" +
            "&learningRate=0.03&momentum=0&weightDecay=0&dropout=0&batchSize=10&scale=none",
            await _server.Settings(session, "dataset=spiral&layers=8,8&activation=tanh&learningRate=0.03"));
        Assert.Equal(
            "dataset=gaussians&samples=1000&seed=7&layers=2&activation=tanh&loss=mse%2Bcross-entropy&init=xavier&optimizer=adam" +
            "&learningRate=0.001&weightDecay=0&dropout=0&batchSize=full&scale=none",
            await _server.Settings(session, "dataset=gaussians&seed=7&layers=2&loss=mse%2Bcross-entropy&optimizer=adam&learningRate=0.001&batchSize=full"));
    }

    [Fact]
    public async Task Play_pause_step_and_reset_drive_the_run_and_reset_returns_to_the_same_weights()
    {
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, "dataset=moons&layers=5,3&learningRate=0.3");
        var data = await events.WaitForData(d => d.GetProperty("run").GetInt32() == 1, "of the first run");
        Assert.Equal([5, 3, 2], data.GetProperty("units").EnumerateArray().Select(u => u.GetInt32()));
        var start = await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused at iteration 0");
        Assert.Equal(0, start.GetProperty("iteration").GetInt64());
        string initialWeights = start.GetProperty("weights").GetRawText();
        Assert.Equal(PlaneView.BoundaryCells * PlaneView.BoundaryCells * 2, Convert.FromBase64String(start.GetProperty("boundary").GetString()!).Length);
        Assert.Equal(2, start.GetProperty("neurons").GetArrayLength());
        Assert.Equal(20 * 20, Convert.FromBase64String(start.GetProperty("neurons")[0][4].GetProperty("cells").GetString()!).Length);

        await _server.Control(session, "step");
        await events.WaitForFrame(f => f.GetProperty("iteration").GetInt64() == 1 && f.GetProperty("status").GetString() == "paused", "after one step");
        await _server.Control(session, "step");
        var two = await events.WaitForFrame(f => f.GetProperty("iteration").GetInt64() == 2, "after two steps");
        Assert.NotEqual(initialWeights, two.GetProperty("weights").GetRawText());

        await _server.Control(session, "speed=5000");
        await _server.Control(session, "play");
        var playing = await events.WaitForFrame(f => f.GetProperty("iteration").GetInt64() > 500, "after 500 steps");
        Assert.Equal("playing", playing.GetProperty("status").GetString());
        Assert.True(playing.GetProperty("trainLoss").GetDouble() < start.GetProperty("trainLoss").GetDouble());
        await _server.Control(session, "pause");
        var paused = await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused");
        await Task.Delay(300);
        Assert.Equal(paused.GetProperty("iteration").GetInt64(), (await events.WaitForFrame(_ => true, "any")).GetProperty("iteration").GetInt64());

        await _server.Control(session, "reset");
        await events.WaitForData(d => d.GetProperty("run").GetInt32() == 2, "of the reset run");
        var reset = await events.WaitForFrame(f => f.GetProperty("run").GetInt32() == 2 && f.GetProperty("iteration").GetInt64() == 0, "after the reset");
        Assert.Equal(initialWeights, reset.GetProperty("weights").GetRawText());
        Assert.Equal(start.GetProperty("boundary").GetString(), reset.GetProperty("boundary").GetString());

        await _server.Settings(session, "dataset=moons&layers=5,3&learningRate=0.3&seed=1");
        var reseeded = await events.WaitForFrame(f => f.GetProperty("run").GetInt32() == 3, "of the new seed");
        Assert.NotEqual(initialWeights, reseeded.GetProperty("weights").GetRawText());
    }

    [Fact]
    public async Task Focusing_a_unit_sends_its_output_at_the_boundarys_resolution()
    {
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, "dataset=circles&layers=4,4&activation=relu");
        await events.WaitForFrame(f => f.GetProperty("focus").ValueKind == JsonValueKind.Null, "without focus");
        await _server.Control(session, "focus=1,2");
        var focused = await events.WaitForFrame(f => f.GetProperty("focus").ValueKind == JsonValueKind.Object, "with focus");
        var focus = focused.GetProperty("focus");
        Assert.Equal(1, focus.GetProperty("layer").GetInt32());
        Assert.Equal(2, focus.GetProperty("unit").GetInt32());
        Assert.Equal(PlaneView.BoundaryCells * PlaneView.BoundaryCells, Convert.FromBase64String(focus.GetProperty("cells").GetString()!).Length);
        // A ReLU unit's range is symmetric about zero, so white means zero whatever the unit's largest output.
        Assert.Equal(-focus.GetProperty("lo").GetDouble(), focus.GetProperty("hi").GetDouble());
        await _server.Control(session, "focus=none");
        await events.WaitForFrame(f => f.GetProperty("focus").ValueKind == JsonValueKind.Null, "without focus again");
    }

    [Fact]
    public async Task An_uploaded_csv_with_four_features_is_drawn_on_its_principal_components()
    {
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        using (var content = new StringContent(Csv.ThreeBlobs(300, extraFeatures: 2), Encoding.UTF8, "text/csv"))
        using (var response = await _server.Client.PostAsync($"/api/sessions/{session}/upload?name=blobs.csv", content))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(300, answer.RootElement.GetProperty("rows").GetInt32());
            Assert.Equal(4, answer.RootElement.GetProperty("features").GetInt32());
            Assert.Equal(["east", "north", "west"], answer.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        }
        Assert.Equal("dataset=upload&testFraction=0.25&seed=0&layers=8,8&activation=tanh&loss=cross-entropy&init=xavier&optimizer=sgd&learningRate=0.03&momentum=0&weightDecay=0&dropout=0&batchSize=10&scale=standard",
            await _server.Settings(session, "dataset=upload&scale=standard&testFraction=0.25"));
        var data = await events.WaitForData(d => d.GetProperty("name").GetString() == "blobs.csv", "of the upload");
        Assert.Equal(225, data.GetProperty("trainCount").GetInt32());
        Assert.Equal(75, data.GetProperty("testCount").GetInt32());
        Assert.Equal("PC 1", data.GetProperty("xLabel").GetString());
        Assert.Contains("principal components of the features as scaled", data.GetProperty("note").GetString());
        Assert.Equal(4, data.GetProperty("inputs").GetArrayLength());
        Assert.Equal(3, data.GetProperty("classes").GetArrayLength());
    }

    [Fact]
    public async Task A_session_nobody_listens_to_is_closed_after_the_idle_timeout()
    {
        await using var server = await TestServer.Start(idleTimeout: TimeSpan.FromMilliseconds(400));
        var response = await server.Client.PostAsync("/api/sessions", null);
        string session = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Server.SessionCount > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(0, server.Server.SessionCount);
        TestServer.Error(HttpStatusCode.NotFound, await server.Post($"/api/sessions/{session}/control", "play"));
    }

    [Fact]
    public async Task A_diverging_run_stops_and_says_why()
    {
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, "dataset=gaussians&layers=32,32,32&activation=relu&loss=mse&learningRate=10&batchSize=full");
        await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused at the start");
        await _server.Control(session, "play");
        var stopped = await events.WaitForFrame(f => f.GetProperty("status").GetString() == "diverged", "diverged");
        Assert.StartsWith("Training diverged:", stopped.GetProperty("message").GetString());
        Assert.EndsWith("Lower the learning rate and reset.", stopped.GetProperty("message").GetString());
    }
}
