using System.Text.Json;
using Nabla.Data;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla bench</c> on a small fraction of each workload (hidden <c>--quick</c>): the shape of the
/// report and that the accuracy shows learning. No timing is asserted: speed is measured by benchmarks.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public class BenchTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public void HelpListsTheWorkloadsWithAnExample()
    {
        var run = Runner.Run("bench", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("nabla bench", run.Out);
        foreach (var name in new[] { "mlp-sigmoid", "mlp-relu-wide", "tiny-gaussians", "infer-batch1", "cnn-letters", "cnn-mnist", "--threads", "--peak", "--json" })
            Assert.Contains(name, run.Out);
        Assert.DoesNotContain("--quick", run.Out);
    }

    [Fact]
    public void TinyGaussiansReportsEveryFieldAndLearns()
    {
        var run = Runner.Run("bench", "--workload", "tiny-gaussians", "--quick", "--peak", "100", "--threads", "1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal(100, root.GetProperty("gemm_peak_gflops").GetDouble());
        Assert.False(root.GetProperty("gemm_peak_measured").GetBoolean());
        var w = Assert.Single(root.GetProperty("workloads").EnumerateArray());
        Assert.Equal("tiny-gaussians", w.GetProperty("workload").GetString());
        foreach (var field in new[] { "samples_per_s", "steps_per_s", "us_per_step", "gflops", "peak_fraction", "seconds" })
            Assert.True(w.GetProperty(field).GetDouble() > 0, field);
        Assert.Equal(40, w.GetProperty("flops_per_sample").GetDouble());
        Assert.Equal(1000 * w.GetProperty("steps").GetInt64(), w.GetProperty("samples").GetInt64());
        Assert.Equal("train", w.GetProperty("accuracy_on").GetString());
        // Two well-separated Gaussians: a few hundred full-batch steps separate most points.
        Assert.InRange(w.GetProperty("accuracy").GetDouble(), 0.8, 1.0);
    }

    [Fact]
    public void FashionWorkloadsLearnAndSinglePredictionsAgreeWithTheModel()
    {
        if (!IdxReader.IsDatasetDirectory(FashionMnist))
            return; // CI installs dataset-fashion-mnist (.ci/run); without it there is nothing to time.
        var run = Runner.Run("bench", "--quick", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("gemm_peak_measured").GetBoolean());
        Assert.True(root.GetProperty("gemm_peak_gflops").GetDouble() > 0);
        var workloads = root.GetProperty("workloads").EnumerateArray().ToDictionary(w => w.GetProperty("workload").GetString()!);
        Assert.Equal(["mlp-sigmoid", "mlp-relu-wide", "tiny-gaussians", "infer-batch1", "cnn-letters", "cnn-mnist"], workloads.Keys);
        Assert.Equal(904_960, workloads["mlp-sigmoid"].GetProperty("flops_per_sample").GetDouble());
        Assert.Equal(3_196_000, workloads["mlp-relu-wide"].GetProperty("flops_per_sample").GetDouble());
        Assert.Equal(435_456, workloads["infer-batch1"].GetProperty("flops_per_sample").GetDouble());
        // 10,000 training images, one epoch: well above chance (0.1) on the test images.
        Assert.InRange(workloads["mlp-sigmoid"].GetProperty("accuracy").GetDouble(), 0.3, 1.0);
        Assert.InRange(workloads["mlp-relu-wide"].GetProperty("accuracy").GetDouble(), 0.5, 1.0);
        // The single predictions classify like the trained mlp-sigmoid model they come from.
        Assert.InRange(workloads["infer-batch1"].GetProperty("accuracy").GetDouble(), 0.3, 1.0);
        Assert.Equal(0, workloads["infer-batch1"].GetProperty("allocated_bytes").GetInt64());
        // WORKLOADS.md's counts: conv 2 × 451,584, dense 3 × 9,834,496 and 3 × 15,680 (cnn-letters); conv1 2 × 1,254,400,
        // conv2 3 × 20,070,400, dense 3 × 6,422,528 and 3 × 20,480 (cnn-mnist).
        Assert.Equal(30_453_696, workloads["cnn-letters"].GetProperty("flops_per_sample").GetDouble());
        Assert.Equal(82_049_024, workloads["cnn-mnist"].GetProperty("flops_per_sample").GetDouble());
        foreach (var (name, batch) in new[] { ("cnn-letters", 32), ("cnn-mnist", 50) })
        {
            Assert.Equal(400, workloads[name].GetProperty("samples").GetInt64());
            Assert.Equal((400 + batch - 1) / batch, workloads[name].GetProperty("steps").GetInt64());
            // 400 images, one epoch of Adam 1e-4: above chance (0.1) on the test images.
            Assert.InRange(workloads[name].GetProperty("accuracy").GetDouble(), 0.2, 1.0);
        }
    }

    [Fact]
    public void AnUnknownWorkloadIsAUsageError()
    {
        var run = Runner.Run("bench", "--workload", "resnet");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("resnet", run.Err);
    }
}
