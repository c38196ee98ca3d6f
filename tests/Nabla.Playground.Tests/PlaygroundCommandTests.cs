using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Nabla.Playground.Tests;

/// <summary><c>nabla playground</c> as a real process: it prints its loopback address, serves, and stops on a signal.</summary>
public sealed class PlaygroundCommandTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task It_serves_on_a_free_loopback_port_and_a_signal_stops_it_within_seconds(string signal)
    {
        using var process = new ChildProcess("playground", "--port", "0", "--no-browser");
        var address = ChildProcess.WaitForAddress(process);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        using (var client = new HttpClient { BaseAddress = address })
            Assert.Contains("<title>Nabla playground</title>", await client.GetStringAsync("/"));

        var clock = Stopwatch.StartNew();
        process.Signal(signal);
        Assert.Equal(0, process.WaitForExit(seconds: 10));
        Assert.True(clock.Elapsed.TotalSeconds < 5, $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("Stopping the playground.", process.Out);
    }

    [Fact]
    public void A_port_in_use_is_a_usage_error_that_says_what_to_do()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = Cli.Run("playground", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-browser");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Cannot serve on 127.0.0.1:{port}", result.Err);
        Assert.Contains("--port 0 for a free one", result.Err);
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("-1")]
    [InlineData("http")]
    public void A_port_out_of_range_is_a_usage_error(string port)
    {
        var result = Cli.Run("playground", "--port", port, "--no-browser");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Invalid value '{port}' for --port: expected a port from 0 to 65535 (0 picks a free one).", result.Err);
    }

    [Fact]
    public void Help_shows_the_options_and_an_example()
    {
        var result = Cli.Run("playground", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("nabla playground --port 0 --no-browser", result.Out);
        Assert.Contains("127.0.0.1 only", result.Out);
        Assert.Contains("--no-browser", result.Out);
    }
}
