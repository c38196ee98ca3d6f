using BenchmarkDotNet.Running;
using Nabla.Benchmarks;

// `gflops [seconds]` runs the quick interleaved GEMM timing harness (see GemmThroughput), `cpu [seconds [filter]]`
// the same on one thread in CPU time, for the shapes whose name contains filter, `profile
// [seconds [threads [mlp|cnn]]]` times each part of a training step (see StepProfile), `cnn [rounds [threads]]`
// times the CNN workloads' epochs as peers.py does (see CnnWorkloads); anything else goes to
// BenchmarkDotNet, e.g. `--filter *Gemm*` or `--filter *Gemm* --job short`.
if (args.Length > 0 && args[0] == "gflops")
{
    GemmThroughput.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0.2);
    return;
}
if (args.Length > 0 && args[0] == "cpu")
{
    GemmThroughput.RunCpu(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0.1, args.Length > 2 ? args[2] : "");
    return;
}
if (args.Length > 0 && args[0] == "profile")
{
    if (args.Length > 2)
        Nabla.Tensors.Parallelism.MaxThreads = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    StepProfile.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0.1, args.Length > 3 ? args[3] : "all");
    return;
}
if (args.Length > 0 && args[0] == "cnn")
{
    if (args.Length > 2)
        Nabla.Tensors.Parallelism.MaxThreads = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    CnnWorkloads.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
