using BenchmarkDotNet.Running;
using Nabla.Benchmarks;

// `gflops [seconds]` runs the quick interleaved timing harness (see GemmThroughput); anything else
// goes to BenchmarkDotNet, e.g. `--filter *Gemm*` or `--filter *Gemm* --job short`.
if (args.Length > 0 && args[0] == "gflops")
{
    GemmThroughput.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0.2);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
