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
        // cnn-letters, batch 32: the dense layer 6272 => 784 (forward, weight gradient, input gradient).
        new("32x6272x784 A·Bᵀ fwd", 32, 6272, 784, false, true),
        new("784x32x6272 Aᵀ·B dW", 784, 32, 6272, true, false),
        new("32x784x6272 A·B dX", 32, 784, 6272, false, false),
        // cnn-mnist, batch 50: the dense layer 3136 => 1024, and one sample of the second convolution
        // (W·X̃ forward, X̃·Gᵀ weight gradient, Wᵀ·G patch gradient).
        new("50x3136x1024 A·Bᵀ fwd", 50, 3136, 1024, false, true),
        new("1024x50x3136 Aᵀ·B dW", 1024, 50, 3136, true, false),
        new("50x1024x3136 A·B dX", 50, 1024, 3136, false, false),
        new("64x800x196 A·B conv", 64, 800, 196, false, false),
        new("800x196x64 A·Bᵀ conv dW", 800, 196, 64, false, true),
        new("800x64x196 Aᵀ·B conv dX", 800, 64, 196, true, false),
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
