using System.Globalization;
using static Nabla.Playground.Web.HttpIo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Nabla.Playground.Engine;
using Nabla.Playground.Sessions;
using Nabla.Playground.Settings;
using Nabla.Playground.Views;

namespace Nabla.Playground.Web;

/// <summary>
/// The HTTP API the page uses. Every handler validates what it receives (sizes, numbers, names from fixed
/// lists; no path ever comes from the client), answers a refusal with a status and a JSON
/// <c>{"error": "…"}</c> that says what was expected and received, and leaves the server serving.
/// </summary>
internal sealed class Endpoints(SessionRegistry sessions, StaticAssets assets)
{
    /// <summary>How long an export may wait for its session's thread.</summary>
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Adds the routes to <paramref name="app"/>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        foreach (string path in assets.Paths.Append("/"))
            app.MapGet(path, context => assets.Serve(context, path));
        app.MapPost("/api/sessions", context => Handle(context, () =>
        {
            var session = sessions.Create();
            return Json(context, new { id = session.Id }, StatusCodes.Status201Created);
        }));
        app.MapPost("/api/sessions/{id}/close", context => Handle(context, () =>
        {
            sessions.Close(Id(context));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }));
        app.MapGet("/api/sessions/{id}/events", context => Handle(context, () => ServerSentEvents.Stream(context, Session(context))));
        app.MapPost("/api/sessions/{id}/settings", context => Handle(context, () => ApplySettings(context)));
        app.MapPost("/api/sessions/{id}/control", context => Handle(context, () => Control(context)));
        app.MapPost("/api/sessions/{id}/upload", context => Handle(context, () => Upload(context)));
        app.MapGet("/api/sessions/{id}/export", context => Handle(context, () => Export(context)));
        app.MapGet("/api/sessions/{id}/model.safetensors", context => Handle(context, () => Download(context, "model.safetensors")));
        app.MapGet("/api/sessions/{id}/report.html", context => Handle(context, () => Download(context, "report.html")));
    }

    private async Task ApplySettings(HttpContext context)
    {
        var session = Session(context);
        string text = await ReadText(context, PlaygroundLimits.MaxSettingsLength);
        var upload = session.Upload;
        var settings = SettingsText.Parse(text, upload is not null);
        RunData data;
        try
        {
            data = EngineData.Load(settings, upload);
        }
        catch (NablaInputException e)
        {
            throw new PlaygroundRequestException(e.Message);
        }
        session.Start(new EngineRun(settings, data), new PlaneView(data), settings);
        await Json(context, new { settings = SettingsText.Format(settings) });
    }

    private async Task Control(HttpContext context)
    {
        var session = Session(context);
        string text = (await ReadText(context, 100)).Trim();
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string action = equals < 0 ? text : text[..equals], value = equals < 0 ? "" : text[(equals + 1)..];
        switch (action)
        {
            case "play": session.Play(); break;
            case "pause": session.Pause(); break;
            case "step": session.Step(); break;
            case "reset": session.Reset(); break;
            case "speed": session.SetSpeed(Speed(value)); break;
            case "focus": session.SetFocus(Focus(value)); break;
            default:
                throw new PlaygroundRequestException($"Expected a control of play, pause, step, reset, speed=N|max or focus=LAYER,UNIT|none; received '{Shorten(text)}'.");
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task Upload(HttpContext context)
    {
        var session = Session(context);
        if (context.Request.ContentLength > PlaygroundLimits.MaxUploadBytes)
            throw TooLarge(context.Request.ContentLength.Value);
        var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > PlaygroundLimits.MaxUploadBytes)
                throw TooLarge(body.Length + read);
            body.Write(buffer, 0, read);
        }
        var csv = EngineData.ParseUpload(body.ToArray(), context.Request.Query["name"].ToString());
        session.Upload = csv;
        await Json(context, new
        {
            name = csv.FileName,
            rows = csv.Data.Count,
            features = csv.Data.FeatureCount,
            classes = csv.Data.ClassNames,
        });
    }

    private async Task Export(HttpContext context)
    {
        var export = await Session(context).Ask(view =>
        {
            int epochs = view.Engine.ExportEpoch;
            if (epochs == 0)
                return (object)new { epoch = 0, notes = new[] { "Train at least one epoch to export the run." } };
            var (train, test) = view.Engine.EvaluateExport();
            var s = view.Settings;
            string name = view.Engine.Data.Name;
            return new
            {
                epoch = epochs,
                command = TrainCommandText.Command(s, name, epochs),
                yaml = TrainCommandText.Yaml(s, name, epochs),
                notes = TrainCommandText.Notes(s, name, epochs),
                train = new { loss = train.Loss, accuracy = train.Accuracy },
                test = new { loss = test.Loss, accuracy = test.Accuracy },
            };
        }, ExportTimeout);
        await Json(context, export);
    }

    /// <summary>Writes the model file or the report on the session's thread into a fresh temporary directory, sends it and deletes it.</summary>
    private async Task Download(HttpContext context, string file)
    {
        var directory = Directory.CreateTempSubdirectory("nabla-playground-");
        try
        {
            string path = await Session(context).Ask(view =>
            {
                int epochs = view.Engine.ExportEpoch;
                if (epochs == 0)
                    throw new PlaygroundRequestException("Train at least one epoch to export the run.", StatusCodes.Status409Conflict);
                if (file == "model.safetensors")
                {
                    string model = Path.Combine(directory.FullName, file);
                    view.Engine.SaveModel(model);
                    return model;
                }
                var s = view.Settings;
                string command = TrainCommandText.Command(s, view.Engine.Data.Name, epochs);
                var settings = TrainCommandText.Options(s, view.Engine.Data.Name, epochs).Select(o => new KeyValuePair<string, string>(o.Name, o.Value)).ToList();
                return view.Engine.WriteReport(directory.FullName, view.History, command, settings);
            }, ExportTimeout);
            var bytes = await File.ReadAllBytesAsync(path, context.RequestAborted);
            context.Response.ContentType = file.EndsWith(".html", StringComparison.Ordinal) ? "text/html; charset=utf-8" : "application/octet-stream";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private Session Session(HttpContext context) => sessions.Get(Id(context));

    private static string Id(HttpContext context) => context.Request.RouteValues["id"] as string ?? "";

    private static int? Speed(string value)
    {
        if (value == "max")
            return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int speed) && speed is >= 1 and <= 1_000_000)
            return speed;
        throw new PlaygroundRequestException($"speed: expected steps per second from 1 to 1,000,000, or max; received '{Shorten(value)}'.");
    }

    private static (int Layer, int Unit)? Focus(string value)
    {
        if (value == "none")
            return null;
        var parts = value.Split(',');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int layer)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int unit)
            && layer < PlaygroundLimits.MaxLayers && unit < PlaygroundLimits.MaxUnits)
            return (layer, unit);
        throw new PlaygroundRequestException($"focus: expected LAYER,UNIT (a hidden layer below {PlaygroundLimits.MaxLayers} and a unit below {PlaygroundLimits.MaxUnits}) or none; received '{Shorten(value)}'.");
    }

    private static PlaygroundRequestException TooLarge(long bytes) => new(
        $"Expected a CSV file of at most {PlaygroundLimits.MaxUploadBytes / (1024 * 1024)} MB; received {(bytes > PlaygroundLimits.MaxUploadBytes + 1 ? $"{bytes / (1024.0 * 1024):N1} MB" : "more")}.",
        StatusCodes.Status413PayloadTooLarge);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
