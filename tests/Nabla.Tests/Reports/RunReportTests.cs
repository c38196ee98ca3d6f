using System.Text.RegularExpressions;
using System.Xml.Linq;
using Nabla.Data;
using Nabla.Models;
using Nabla.Reports;
using Nabla.Tests.Data;
using Nabla.Tests.Plots;
using Nabla.Training;

namespace Nabla.Tests.Reports;

public class RunReportTests
{
    private static readonly string[] PlaneFiles =
        ["data.svg", "loss-per-iteration.svg", "loss-per-epoch.svg", "accuracy-per-epoch.svg", "parameters.svg", "decision-boundary.svg", "confusion-matrix.svg", "report.html"];

    [Fact]
    public void Two_feature_run_writes_every_plane_figure_and_the_report_last()
    {
        using var dir = new TempDirectory();
        var written = ReportRuns.Gaussians(epochs: 60).Write(dir.Path);

        Assert.Equal(PlaneFiles, written.Select(Path.GetFileName));
        Assert.Equal("report.html", Path.GetFileName(written[^1]));
        Assert.False(File.Exists(Path.Combine(dir.Path, "misclassified.svg")), "2-D points are not images");
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
        foreach (string svg in written.Where(p => p.EndsWith(".svg", StringComparison.Ordinal)))
            Assert.Equal(SvgAssert.Ns + "svg", XDocument.Load(svg).Root!.Name);
    }

    [Fact]
    public void Report_has_every_section_the_settings_and_measured_metrics()
    {
        using var dir = new TempDirectory();
        var run = ReportRuns.Gaussians(epochs: 60);
        run.Write(dir.Path);
        string html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));

        foreach (string heading in (string[])["About this run", "Training", "Weights and biases", "Decision boundary", "Evaluation on the test set"])
            Assert.Contains($"<h2>{heading}</h2>", html);
        Assert.Contains("<th scope=\"row\">network</th><td>2 → 2 Tanh → 2</td>", html);
        Assert.Contains("<th scope=\"row\">learning rate</th><td>0.5</td>", html);
        Assert.Contains("Bayes-optimal accuracy", html);
        Assert.Contains("Per-class results on the test set", html);
        double accuracy = Evaluation.Run(run.Model, run.Architecture.CreateLoss<float>(), run.Test!).Accuracy!.Value;
        Assert.Contains($"<th scope=\"row\">test accuracy</th><td>{accuracy:0.0000} (", html);
        Assert.Equal(7, Regex.Count(html, "<svg "));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?(https?:|//)"), html);
    }

    [Fact]
    public void Parameter_panels_show_every_weight_and_bias_of_the_2_2_2_network()
    {
        using var dir = new TempDirectory();
        ReportRuns.Gaussians(epochs: 20).Write(dir.Path);
        var texts = XDocument.Load(Path.Combine(dir.Path, "parameters.svg")).Descendants(SvgAssert.Ns + "text").Select(t => t.Value).ToList();

        foreach (string name in (string[])["0.weight[0,0]", "0.weight[1,1]", "0.bias[1]", "2.weight[1,0]", "2.bias[0]"])
            Assert.Contains(name, texts);
    }

    [Fact]
    public void Image_run_shows_misclassified_images_three_curves_and_the_early_stopping_epoch()
    {
        using var dir = new TempDirectory();
        var run = ReportRuns.Images();
        var written = run.Write(dir.Path).Select(Path.GetFileName).ToList();

        Assert.Equal(["loss-per-iteration.svg", "loss-per-epoch.svg", "accuracy-per-epoch.svg", "confusion-matrix.svg", "misclassified.svg", "report.html"], written);
        var loss = XDocument.Load(Path.Combine(dir.Path, "loss-per-epoch.svg"));
        var texts = loss.Descendants(SvgAssert.Ns + "text").Select(t => t.Value).ToList();
        foreach (string series in (string[])["train", "validation", "test"])
            Assert.Contains(series, texts);
        if (run.History.BestEpoch is { } best)
            Assert.Contains($"best epoch {best} (weights kept)", texts);
        var images = XDocument.Load(Path.Combine(dir.Path, "misclassified.svg")).Descendants(SvgAssert.Ns + "image").ToList();
        Assert.NotEmpty(images);
        Assert.All(images, i => Assert.StartsWith("data:image/png;base64,", (string?)i.Attribute("href") ?? ""));
        Assert.Equal(run.TestCurve!.Loss.Count, run.History.Epochs.Count);
    }

    [Fact]
    public void Scatter_is_drawn_in_raw_units_when_the_model_sees_scaled_inputs()
    {
        var raw = Synthetic.Gaussians<float>(200, seed: 10);
        var scaling = Scaling.Fit(ScalingKind.Standard, raw.Features);
        var scaled = new Dataset<float>(scaling.Apply(raw.Features), raw.Labels!, raw.ClassNames!, raw.Name);
        var texts = SvgAssert.Texts(SvgAssert.Parse(RunFigures.Data(scaled, scaling, "data")));

        // Raw Gaussians sit between 0 and 3; standardised ones would need negative ticks.
        Assert.Contains("2", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith('-') || t.StartsWith('−'));
    }

    [Theory]
    [InlineData(784, 28)]
    [InlineData(64, 8)]
    [InlineData(2, 0)]
    [InlineData(49, 0)]
    [InlineData(785, 0)]
    public void Image_side_needs_a_square_of_at_least_8_by_8(int features, int side) => Assert.Equal(side, RunFigures.ImageSide(features));

    [Fact]
    public void Network_description_lists_sizes_and_activations() =>
        Assert.Equal("784 → 1000 ReLU → 10", RunDescription.Network(Architecture.Mlp(784, [1000], 10, "relu", "cross-entropy", null)));

    [Fact]
    public void Data_mismatching_the_architecture_is_rejected_naming_both_sizes()
    {
        var run = ReportRuns.Gaussians(epochs: 1);
        var wide = Synthetic.Spiral<float>(30, 3, 0.1, seed: 1);
        var architecture = Architecture.Mlp(5, [2], 3, "tanh", "cross-entropy", wide.ClassNames);
        var e = Assert.Throws<ArgumentException>(() => new RunReport<float>(architecture, run.Model, run.History, wide));
        Assert.Contains("2 features", e.Message);
        Assert.Contains("takes 5", e.Message);
    }
}

public class RunReportHealthTests
{
    [Fact]
    public void Report_shows_the_training_health_table_and_its_warnings()
    {
        using var dir = new TempDirectory();
        var run = ReportRuns.Gaussians(epochs: 20);
        var health = Nabla.Diagnostics.TrainingHealth.Measure(run.Model, run.Architecture.CreateLoss<float>(), run.Train.Features, run.Train.Targets);
        new RunReport<float>(run.Architecture, run.Model, run.History, run.Train) { Health = health }.Write(dir.Path);
        string html = File.ReadAllText(Path.Combine(dir.Path, "report.html"));

        Assert.Contains("<h2>Training health</h2>", html);
        foreach (var check in health.Checks)
            Assert.Contains(System.Net.WebUtility.HtmlEncode(check.Name), html);
        Assert.Contains(health.Warnings.Count == 0 ? "Every check is within its healthy range." : "out of range", html);
    }
}
