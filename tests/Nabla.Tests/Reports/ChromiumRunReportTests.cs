using Nabla.Tests.Plots;
using Xunit.Abstractions;

namespace Nabla.Tests.Reports;

/// <summary>Opens a report of a real training run in headless Chromium: it must render offline with no console errors.</summary>
public sealed class ChromiumRunReportTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public void Real_run_report_renders_without_console_errors_and_is_screenshotted()
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "reports-artifacts", "gaussians");
        string png = Path.Combine(AppContext.BaseDirectory, "reports-artifacts", "gaussians-report.png");
        string html = ReportRuns.Gaussians().Write(dir)[^1];

        string dom = Chromium.RenderAndCheck(html, png, "1280,4800");
        output.WriteLine($"screenshot: {png}");
        foreach (string heading in (string[])["Training", "Weights and biases", "Decision boundary", "Evaluation on the test set", "Settings", "Final metrics"])
            Assert.Contains(heading, dom);
    }
}
