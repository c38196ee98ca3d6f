using Xunit.Abstractions;

namespace Nabla.Tests.Plots;

/// <summary>Opens a full sample report in headless Chromium: it must render offline with no console errors.</summary>
public sealed class ChromiumReportTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public void Sample_report_renders_without_console_errors_and_is_screenshotted()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "plots-artifacts");
        Directory.CreateDirectory(dir);
        string html = Path.Combine(dir, "sample-report.html");
        string png = Path.Combine(dir, "sample-report.png");
        SampleFigures.Report().Save(html);

        string dom = Chromium.RenderAndCheck(html, png, "1280,2000");
        output.WriteLine($"screenshot: {png}");
        foreach (string heading in (string[])["Data", "Training", "Decision boundaries", "Image data", "Settings", "Final metrics"])
            Assert.Contains(heading, dom);
        Assert.Equal(9, CountOf(dom, "<figcaption>"));
        Assert.Equal(9, CountOf(dom, "<svg "));
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
