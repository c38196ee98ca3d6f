using Xunit.Abstractions;

namespace Nabla.Tests.Plots;

/// <summary>Opens a full sample report in headless Chromium: it must render offline with no console errors.</summary>
public sealed class ChromiumReportTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [ChromiumFact]
    public void Sample_report_renders_without_console_errors_and_is_screenshotted()
    {
        string chromium = Chromium.Find()
            ?? throw new InvalidOperationException("CI is set but chromium is not installed: .ci/run must `apt-get install -y chromium` before the tests.");
        string dir = Path.Combine(AppContext.BaseDirectory, "plots-artifacts");
        Directory.CreateDirectory(dir);
        string html = Path.Combine(dir, "sample-report.html");
        string png = Path.Combine(dir, "sample-report.png");
        File.Delete(png);
        SampleFigures.Report().Save(html);
        string url = new Uri(html).AbsoluteUri;

        var shot = Chromium.Run(chromium, ["--enable-logging=stderr", "--v=0", "--hide-scrollbars", $"--screenshot={png}", "--window-size=1280,2000", url], Timeout);
        Assert.True(shot.ExitCode == 0, $"chromium exited with {shot.ExitCode}:\n{shot.Stderr}");
        var consoleLines = shot.Stderr.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)).ToList();
        Assert.True(consoleLines.Count == 0, "console messages while rendering the report:\n" + string.Join('\n', consoleLines));
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"screenshot {png} is only {bytes.Length} bytes");
        Assert.Equal([137, 80, 78, 71], bytes[..4]);
        output.WriteLine($"screenshot: {png}");

        var dom = Chromium.Run(chromium, ["--dump-dom", url], Timeout);
        Assert.True(dom.ExitCode == 0, $"chromium --dump-dom exited with {dom.ExitCode}:\n{dom.Stderr}");
        foreach (string heading in (string[])["Data", "Training", "Decision boundaries", "Image data", "Settings", "Final metrics"])
            Assert.Contains(heading, dom.Stdout);
        Assert.Equal(9, CountOf(dom.Stdout, "<figcaption>"));
        Assert.Equal(9, CountOf(dom.Stdout, "<svg "));
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
