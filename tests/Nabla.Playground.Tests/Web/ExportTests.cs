using System.Net;
using System.Text;
using System.Text.Json;

namespace Nabla.Playground.Tests.Web;

/// <summary>
/// The take-away: <c>nabla train</c> run with the exported command, or with the exported YAML, writes the
/// exported model file byte for byte; the report opens as one HTML file.
/// </summary>
public sealed class ExportTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.Start();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("dataset=moons&layers=6,4&activation=relu&init=he&optimizer=sgd&momentum=0.9&learningRate=0.01&weightDecay=0.001&batchSize=16&seed=3", null)]
    [InlineData("dataset=circles&samples=400&noise=0.1&layers=&loss=mse%2Bcross-entropy&optimizer=adam&learningRate=0.01&batchSize=full", null)]
    [InlineData("dataset=upload&layers=8&activation=sigmoid&scale=minmax&testFraction=0.3&learningRate=0.3&seed=11", "three blobs.csv")]
    [InlineData("dataset=spiral&layers=8,8&activation=relu&dropout=0.2&optimizer=adam&learningRate=0.01&batchSize=32&seed=4", null)]
    public async Task The_command_and_the_yaml_reproduce_the_exported_model_byte_for_byte(string settings, string? upload)
    {
        string session = await _server.CreateSession();
        using var dir = new TempDirectory();
        string? csvPath = null;
        if (upload is not null)
        {
            string csv = Csv.ThreeBlobs(240);
            csvPath = dir.File("data.csv");
            await File.WriteAllTextAsync(csvPath, csv);
            using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
            using var response = await _server.Client.PostAsync($"/api/sessions/{session}/upload?name={Uri.EscapeDataString(upload)}", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, settings);
        await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused at the start");
        await _server.Control(session, "speed=20000");
        await _server.Control(session, "play");
        await events.WaitForFrame(f => f.GetProperty("exportEpoch").GetInt32() >= 3, "three epochs");
        await _server.Control(session, "pause");
        await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused");

        using var export = JsonDocument.Parse(await _server.Client.GetStringAsync($"/api/sessions/{session}/export"));
        int epoch = export.RootElement.GetProperty("epoch").GetInt32();
        string command = export.RootElement.GetProperty("command").GetString()!;
        string yaml = export.RootElement.GetProperty("yaml").GetString()!;
        Assert.Contains($"--epochs {epoch} ", command);
        Assert.Contains($"epochs: {epoch}\n", yaml);
        if (upload is not null)
        {
            Assert.Contains("--data threeblobs.csv --test 0.3 --seed 11", command);
            Assert.Contains("Save the uploaded CSV file as threeblobs.csv", export.RootElement.GetProperty("notes").GetRawText());
        }
        byte[] model = await _server.Client.GetByteArrayAsync($"/api/sessions/{session}/model.safetensors");

        var args = command.Split(' ')[1..].Select(a => a == "'[]'" ? "[]" : a).ToList();
        args[args.IndexOf("--out") + 1] = dir.File("from-command");
        if (csvPath is not null)
            args[args.IndexOf("--data") + 1] = csvPath;
        var fromCommand = Cli.Run([.. args]);
        Assert.True(fromCommand.ExitCode == 0, fromCommand.ToString());
        Assert.Equal(model, await File.ReadAllBytesAsync(dir.File("from-command/model.safetensors")));

        string config = dir.File("playground.yaml");
        await File.WriteAllTextAsync(config, csvPath is null ? yaml : yaml.Replace("data: threeblobs.csv", $"data: {csvPath}"));
        var fromYaml = Cli.Run("train", "--config", config, "--out", dir.File("from-yaml"));
        Assert.True(fromYaml.ExitCode == 0, fromYaml.ToString());
        Assert.Equal(model, await File.ReadAllBytesAsync(dir.File("from-yaml/model.safetensors")));
    }

    [Fact]
    public async Task The_report_is_one_html_page_with_the_command_and_the_figures()
    {
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, "dataset=xor&layers=4&learningRate=0.3");
        await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused at the start");
        await _server.Control(session, "speed=20000");
        await _server.Control(session, "play");
        await events.WaitForFrame(f => f.GetProperty("exportEpoch").GetInt32() >= 2, "two epochs");
        using var response = await _server.Client.GetAsync($"/api/sessions/{session}/report.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment; filename=\"report.html\"", response.Content.Headers.ContentDisposition?.ToString());
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("(from the playground)", html);
        Assert.Contains("nabla train --data xor", html);
        Assert.Contains("<svg", html);
        Assert.Contains("Decision boundary", html);
        Assert.Contains("Training health", html);
    }

    [Fact]
    public async Task Nothing_is_exported_before_the_first_epoch()
    {
        string session = await _server.CreateSession();
        await using var events = new EventStream(_server.Client, session);
        await _server.Settings(session, "dataset=spiral&dropout=0.2");
        await events.WaitForFrame(f => f.GetProperty("status").GetString() == "paused", "paused at the start");
        using (var export = JsonDocument.Parse(await _server.Client.GetStringAsync($"/api/sessions/{session}/export")))
            Assert.Equal("Train at least one epoch to export the run.", export.RootElement.GetProperty("notes")[0].GetString());
        Assert.Equal("Train at least one epoch to export the run.",
            TestServer.Error(HttpStatusCode.Conflict, await Get($"/api/sessions/{session}/model.safetensors")));

        await _server.Control(session, "play");
        await events.WaitForFrame(f => f.GetProperty("exportEpoch").GetInt32() >= 1, "one epoch");
        using var done = JsonDocument.Parse(await _server.Client.GetStringAsync($"/api/sessions/{session}/export"));
        Assert.Contains(" --dropout 0.2 ", done.RootElement.GetProperty("command").GetString());
    }

    private async Task<(HttpStatusCode, string)> Get(string path)
    {
        using var response = await _server.Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
