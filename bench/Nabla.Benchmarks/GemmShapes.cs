namespace Nabla.Benchmarks;

/// <summary>
/// GEMM shapes of the benchmark workloads (bench/WORKLOADS.md) as <c>M×K×N</c> plus transposes.
/// Linear stores W as out×in, so the forward pass is <c>X·Wᵀ</c>, the weight gradient
/// <c>dYᵀ·X</c> and the input gradient <c>dY·W</c>.
/// </summary>
public readonly record struct GemmShape(string Name, int M, int K, int N, bool TransposeA, bool TransposeB)
{
    /// <summary>Floating-point operations of one product.</summary>
    public double Flops => 2.0 * M * K * N;

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Every shape benchmarked, in the order of the report table.</summary>
    public static readonly GemmShape[] All =
    [
        // mlp-sigmoid, batch 64: 784-256-64-10, in every transpose combination the training step uses.
        new("64x784x256 A·B", 64, 784, 256, false, false),
        new("64x784x256 A·Bᵀ fwd", 64, 784, 256, false, true),
        new("64x256x64 A·Bᵀ fwd", 64, 256, 64, false, true),
        new("64x64x10 A·Bᵀ fwd", 64, 64, 10, false, true),
        new("64x256x64 A·B", 64, 256, 64, false, false),
        new("64x64x10 A·B", 64, 64, 10, false, false),
        new("256x64x784 Aᵀ·B dW", 256, 64, 784, true, false),
        new("784x64x256 Aᵀ·B", 784, 64, 256, true, false),
        new("64x64x256 Aᵀ·B dW", 64, 64, 256, true, false),
        new("10x64x64 Aᵀ·B dW", 10, 64, 64, true, false),
        new("64x64x256 A·B dX", 64, 64, 256, false, false),
        new("64x256x784 A·Bᵀ", 64, 256, 784, false, true),
        new("64x10x64 A·B dX", 64, 10, 64, false, false),
        new("64x784x256 Aᵀ·Bᵀ", 64, 784, 256, true, true),
        // mlp-relu-wide, batch 128: 784-1000-10.
        new("128x784x1000 A·B", 128, 784, 1000, false, false),
        new("128x784x1000 A·Bᵀ fwd", 128, 784, 1000, false, true),
        new("1000x128x784 Aᵀ·B dW", 1000, 128, 784, true, false),
        new("784x128x1000 Aᵀ·B", 784, 128, 1000, true, false),
        new("128x1000x784 A·Bᵀ", 128, 1000, 784, false, true),
        new("128x10x1000 A·B dX", 128, 10, 1000, false, false),
        new("10x128x1000 Aᵀ·B dW", 10, 128, 1000, true, false),
        // infer-batch1 and large squares.
        new("1x784x256 A·B", 1, 784, 256, false, false),
        new("1x784x256 A·Bᵀ fwd", 1, 784, 256, false, true),
        new("1024³ A·B", 1024, 1024, 1024, false, false),
        new("1024³ A·Bᵀ", 1024, 1024, 1024, false, true),
        new("1024³ Aᵀ·B", 1024, 1024, 1024, true, false),
        new("1024³ Aᵀ·Bᵀ", 1024, 1024, 1024, true, true),
        new("2048³ A·B", 2048, 2048, 2048, false, false),
    ];
}
