using System.CommandLine;
using Nabla.Data;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla datasets</c>: the built-in and installed datasets and where each was found; <c>nabla datasets download NAME</c> fetches one.</summary>
internal static class DatasetsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var dataDir = new Option<string?>("--data-dir")
        {
            Description = "Directory searched first (and where downloads go): then $NABLA_DATA, /usr/share/datasets, ~/.nabla/datasets.",
            HelpName = "DIR",
            Recursive = true,
        };
        var command = new Command("datasets",
            "List the built-in and installed datasets and where each was found.\n\nExamples:\n  nabla datasets\n  nabla datasets download fashion-mnist")
        {
            dataDir,
        };
        command.SetAction(parse =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("name", "description", "location");
            foreach (var entry in new DatasetCatalog(parse.GetValue(dataDir)).List())
                table.AddRow(Markup.Escape(entry.Name), Markup.Escape(entry.Description), Markup.Escape(entry.Location ?? "not installed"));
            context.Console.Write(table);
            return ExitCodes.Ok;
        });

        var name = new Argument<string>("NAME") { Description = $"The dataset: {string.Join(", ", DownloadSource.Known.Select(s => s.Name))}." };
        var download = new Command("download",
            "Download a dataset's official files, verify their SHA-256, and install it where 'nabla train --data NAME' finds it.\n\nExample:\n  nabla datasets download fashion-mnist")
        {
            name,
        };
        download.SetAction(async (parse, cancel) =>
        {
            var source = DownloadSource.Find(parse.GetValue(name)!);
            string directory = new DatasetCatalog(parse.GetValue(dataDir)).DownloadDirectory(source.Name);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var progress = new FileDone(p => context.Error.WriteLine($"{p.FileName}: {p.BytesDone:N0} bytes"));
            await new DatasetDownloader(http).DownloadAsync(source, directory, progress, cancel);
            context.Out.WriteLine($"Installed {source.Name} in {directory}.");
            return ExitCodes.Ok;
        });
        command.Add(download);
        return command;
    }

    /// <summary>Reports each file once, when it is complete, on the downloading thread (so lines come out in order).</summary>
    private sealed class FileDone(Action<DownloadProgress> done) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            if (value.BytesDone == value.BytesTotal)
                done(value);
        }
    }
}
