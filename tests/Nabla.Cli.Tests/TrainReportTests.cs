using System.Xml.Linq;

namespace Nabla.Cli.Tests;

/// <summary><c>nabla train --out DIR</c> writes the plots and <c>report.html</c> every time.</summary>
public class TrainReportTests
{
    [Fact]
    public void Out_writes_every_plot_and_the_report_for_a_2d_run_with_the_weights_per_iteration()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("train", "--epochs", "40", "--learning-rate", "0.5", "--out", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("7 plots and", run.Out);
        foreach (string svg in (string[])["data", "loss-per-iteration", "loss-per-epoch", "accuracy-per-epoch", "parameters", "decision-boundary", "confusion-matrix"])
            Assert.Equal("svg", XDocument.Load(dir.File(svg + ".svg")).Root!.Name.LocalName);
        string html = File.ReadAllText(dir.File("report.html"));
        Assert.Contains("<th scope=\"row\">learning rate</th><td>0.5</td>", html);
        Assert.Contains("<th scope=\"row\">test accuracy</th>", html);
        Assert.Contains("<h2>Weights and biases</h2>", html);
    }

    [Fact]
    public void Test_holds_out_part_of_a_csv_dataset_and_the_report_evaluates_on_it()
    {
        using var dir = new TempDirectory();
        var run = Runner.Run("train", "--data", "iris", "--loss", "cross-entropy", "--scale", "standard", "--layers", "8", "--epochs", "30",
            "--learning-rate", "0.1", "--test", "0.2", "--out", dir.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Test accuracy:", run.Out);
        Assert.Contains("of 30 correct", run.Out);
        string html = File.ReadAllText(dir.File("report.html"));
        Assert.Contains("Evaluation on the test set", html);
        Assert.False(File.Exists(dir.File("data.svg")), "iris has 4 features: no scatter");
        Assert.False(File.Exists(dir.File("parameters.svg")), "8 hidden units on 4 inputs make 67 parameters, over the traced limit");
    }

    [Fact]
    public void Test_is_refused_for_data_with_its_own_test_split()
    {
        var run = Runner.Run("train", "--epochs", "1", "--test", "0.2");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("has its own test split", run.Err);
    }
}
