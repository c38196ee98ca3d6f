using System.CommandLine;
using System.Runtime.InteropServices;
using Nabla.Playground;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla playground</c>: serves the playground page on 127.0.0.1 and opens it in the browser.</summary>
internal static class PlaygroundCommand
{
    /// <summary>The port used unless <c>--port</c> says otherwise.</summary>
    public const int DefaultPort = 8017;

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port")
        {
            Description = "The port to serve on, on 127.0.0.1 only; 0 picks a free one.",
            DefaultValueFactory = _ => DefaultPort,
            CustomParser = r => Values.Number<int>(r, v => v is >= 0 and <= 65535, "a port from 0 to 65535 (0 picks a free one)"),
            HelpName = "N",
        };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Print the address without opening a browser." };
        var command = new Command("playground",
            "Watch a network learn, live, on the real engine: a local web page to pick data (or upload a CSV), build a network, " +
            "train it and take away the nabla train command, the model and the report. Serves on 127.0.0.1 only; Ctrl-C stops it.\n\n" +
            "Examples:\n  nabla playground\n  nabla playground --port 0 --no-browser");
        command.Add(port);
        command.Add(noBrowser);
        command.SetAction(parse => Run(context, parse.GetValue(port), parse.GetValue(noBrowser)));
        return command;
    }

    private static int Run(CliContext context, int port, bool noBrowser)
    {
        using var stop = new StopSignal();
        PlaygroundServer server;
        try
        {
            server = PlaygroundServer.StartAsync(port).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            throw new UsageException($"Cannot serve on 127.0.0.1:{port}: {e.Message} Choose another port with --port N, or --port 0 for a free one.");
        }
        context.Out.WriteLine($"Nabla playground: {server.Address}");
        context.Out.WriteLine("Serving on 127.0.0.1 only; press Ctrl-C to stop.");
        if (!noBrowser && !BrowserLauncher.TryOpen(server.Address))
            context.Out.WriteLine("No browser opener (xdg-open) was found: open the address above in a browser.");
        stop.Token.WaitHandle.WaitOne();
        context.Out.WriteLine("Stopping the playground.");
        server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return ExitCodes.Ok;
    }

    /// <summary>Ctrl-C (SIGINT) or SIGTERM: the normal way to stop a server, so it exits 0 after closing its connections.</summary>
    private sealed class StopSignal : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly PosixSignalRegistration _interrupt, _terminate;

        public StopSignal()
        {
            _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }

        public CancellationToken Token => _stop.Token;

        public void Dispose()
        {
            _interrupt.Dispose();
            _terminate.Dispose();
            _stop.Dispose();
        }

        private void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            _stop.Cancel();
        }
    }
}
