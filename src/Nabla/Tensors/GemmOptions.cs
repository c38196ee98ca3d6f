namespace Nabla.Tensors;

/// <summary>Instruction set of the float GEMM kernels.</summary>
internal enum GemmIsa
{
    /// <summary>The widest the machine supports: AVX-512, else AVX2 + FMA, else scalar.</summary>
    Auto,
    /// <summary><see cref="Avx512Kernel"/>.</summary>
    Avx512,
    /// <summary><see cref="Avx2Kernel"/>.</summary>
    Avx2,
    /// <summary><see cref="ScalarKernel"/>.</summary>
    Scalar,
}

/// <summary>How the float GEMM walks the operands.</summary>
internal enum GemmMethod
{
    /// <summary>Chosen from the shape: direct for small products, packed for the rest.</summary>
    Auto,
    /// <summary>Kernels read A and B in place (<c>A·Bᵀ</c> runs as dot products of rows).</summary>
    Direct,
    /// <summary>BLIS-style: cache blocks of A and B are packed into panels first.</summary>
    Packed,
    /// <summary>
    /// <see cref="GemmNarrow"/> or <see cref="GemmNarrowGradient"/> where the shape fits one (n = k dividing 16, dense A
    /// and C; or an n×n <c>Aᵀ·B</c> of dense K×n operands, n ≤ 8), otherwise as <see cref="Auto"/>.
    /// </summary>
    Narrow,
}

/// <summary>
/// Overrides for the float GEMM, so tests can run every path on one machine. The public API
/// always uses the defaults.
/// </summary>
/// <param name="Isa">Kernel instruction set; forcing one the CPU lacks throws <see cref="PlatformNotSupportedException"/>.</param>
/// <param name="Method">Direct or packed.</param>
/// <param name="Threads">Exact number of threads to run on (if the shape has that many tiles); 0 chooses from the work and <see cref="Parallelism.MaxThreads"/>.</param>
internal readonly record struct GemmOptions(GemmIsa Isa = GemmIsa.Auto, GemmMethod Method = GemmMethod.Auto, int Threads = 0);
