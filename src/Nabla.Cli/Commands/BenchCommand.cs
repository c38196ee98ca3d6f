using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Cli.Bench;
using Nabla.Tensors;
using Spectre.Console;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla bench</c>: the shared benchmark workloads, timed, with GFLOP/s, the fraction of the GEMM peak and the accuracy reached.</summary>
internal static class BenchCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var workload = new Option<string>("--workload")
        {
            Description = "Which workload to run: mlp-sigmoid (784-256-64-10, batch 64), mlp-relu-wide (784-1000-10, batch 128), " +
                "tiny-gaussians (2-2-2, 5,000 full-batch steps), infer-batch1 (20,000 single predictions), cnn-letters (seed 002's CNN, batch 32, 10,000 images), " +
                "cnn-mnist (seed 004's CNN, batch 50, 5,000 images), or all.",
            DefaultValueFactory = _ => "all",
        }.AcceptOnlyFromAmong([.. BenchWorkload.Names, "all"]);
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var threads = new Option<int?>("--threads") { Description = "Most threads any parallel work may use (default: the processor count, at most 2).", HelpName = "N" };
        var peak = new Option<double?>("--peak") { Description = "The GEMM peak in GFLOP/s to compare against, instead of measuring a 1024³ product first.", HelpName = "GFLOPS" };
        var quick = new Option<bool>("--quick") { Description = "A few seconds' smoke run on a fraction of the data (for tests).", Hidden = true };
        var command = new Command("bench",
            "Time the shared benchmark workloads (Fashion-MNIST from /usr/share/datasets/fashion-mnist): samples/s, GFLOP/s, " +
            "the fraction of this machine's GEMM peak, and the accuracy reached, so a fast but wrong step shows.\n\n" +
            "Examples:\n  nabla bench\n  nabla bench --workload mlp-sigmoid --threads 1 --json");
        command.Add(workload);
        command.Add(json);
        command.Add(threads);
        command.Add(peak);
        command.Add(quick);
        command.SetAction(parse =>
        {
            int? threadCount = parse.GetValue(threads);
            if (threadCount is < 1)
                throw new UsageException($"--threads must be at least 1; received {threadCount}.");
            double? givenPeak = parse.GetValue(peak);
            if (givenPeak is { } p && !(p > 0))
                throw new UsageException($"--peak must be a positive number of GFLOP/s; received {p}.");
            string name = parse.GetValue(workload)!;
            var selected = name == "all" ? BenchWorkload.All : BenchWorkload.All.Where(w => w.Name == name).ToArray();
            bool isQuick = parse.GetValue(quick);
            int previousThreads = Parallelism.MaxThreads;
            try
            {
                if (threadCount is { } t)
                    Parallelism.MaxThreads = t;
                double peakGflops = givenPeak ?? GemmPeak.Measure(isQuick ? 0 : 1.0);
                var runner = new BenchRunner(isQuick ? BenchSettings.Quick : BenchSettings.Full);
                var results = new List<BenchResult>();
                foreach (var w in selected)
                    results.Add(runner.Run(w, peakGflops));
                var report = new Report(Parallelism.MaxThreads, peakGflops, givenPeak is null, results);
                if (parse.GetValue(json))
                    context.Out.WriteLine(report.ToJson());
                else
                    report.Print(context);
            }
            finally
            {
                Parallelism.MaxThreads = previousThreads;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class Report(int threads, double peak, bool peakMeasured, IReadOnlyList<BenchResult> results)
    {
        private static string CpuModel()
        {
            const string cpuinfo = "/proc/cpuinfo";
            if (File.Exists(cpuinfo))
                foreach (var line in File.ReadLines(cpuinfo))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                        return line[(colon + 1)..].Trim();
            return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        }

        public void Print(CliContext context)
        {
            var o = context.Out;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{CpuModel()}, {Environment.ProcessorCount} logical cores; {threads} thread(s); GEMM peak {peak:0.0} GFLOP/s ({(peakMeasured ? $"measured, best {GemmPeak.Size}³ product" : "given")})"));
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("workload", "samples/s", "steps/s", "µs/step", "GFLOP/s", "of peak", "accuracy", "seconds", "allocated");
            foreach (var r in results)
            {
                table.AddRow(r.Workload, F(r.SamplesPerSecond, "#,0"), F(r.StepsPerSecond, "#,0"), F(r.MicrosecondsPerStep, "0.00"),
                    F(r.Gflops, "0.0"), F(r.PeakFraction, "0%"), $"{Format.Ratio(r.Accuracy)} ({r.AccuracyOn})", F(r.Seconds, "0.000"),
                    $"{r.AllocatedBytes.ToString("#,0", CultureInfo.InvariantCulture)} B");
            }
            context.Console.Write(table);
            o.WriteLine("Timing covers the training loop (or the prediction calls) only. infer-batch1's steps are calls.");
        }

        private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

        public string ToJson()
        {
            var root = new JsonObject
            {
                ["nabla_version"] = Models.Architecture.Version,
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["cpu"] = CpuModel(),
                ["logical_cores"] = Environment.ProcessorCount,
                ["threads"] = threads,
                ["gemm_peak_gflops"] = peak,
                ["gemm_peak_measured"] = peakMeasured,
                ["workloads"] = new JsonArray([.. results.Select(r => (JsonNode?)new JsonObject
                {
                    ["workload"] = r.Workload,
                    ["samples"] = r.Samples,
                    ["steps"] = r.Steps,
                    ["seconds"] = r.Seconds,
                    ["samples_per_s"] = r.SamplesPerSecond,
                    ["steps_per_s"] = r.StepsPerSecond,
                    ["us_per_step"] = r.MicrosecondsPerStep,
                    ["flops_per_sample"] = r.FlopsPerSample,
                    ["gflops"] = r.Gflops,
                    ["peak_fraction"] = r.PeakFraction,
                    ["accuracy"] = r.Accuracy,
                    ["accuracy_on"] = r.AccuracyOn,
                    ["allocated_bytes"] = r.AllocatedBytes,
                })]),
            };
            return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        }
    }
}
