namespace Nabla.Tensors;

/// <summary>
/// One instruction-set flavour of the float GEMM kernels. Implementations are structs so the JIT
/// compiles <see cref="GemmFloat"/> once per flavour with every size below a constant.
/// </summary>
/// <remarks>
/// Every kernel updates each element of C with one fused multiply-add chain in ascending k,
/// <c>c = fma(a[i,p], b[p,j], c)</c>, starting from C (<c>load</c>) or zero. That order depends
/// on nothing but the shape, so tiles, k-blocks, thread splits and instruction sets all give the
/// same bits. The exceptions are <see cref="Dot"/>, which sums lane-wise partial dot products, and
/// <see cref="GemmNarrowGradient"/>, which sums a long batch in lanes; both are chosen from the shape
/// alone, so they too are deterministic.
/// </remarks>
internal unsafe interface IGemmKernel
{
    /// <summary>Rows of a packed micro-tile (rows per packed A panel).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of a micro-tile (packed B panel width, and direct-kernel width).</summary>
    static abstract int NR { get; }

    /// <summary>Most rows one <see cref="Direct"/> call handles: at least <see cref="MR"/>, as a packed product's edge tiles run through it.</summary>
    static abstract int DirectRows { get; }

    /// <summary>Most rows one <see cref="Dot"/> call handles.</summary>
    static abstract int DotRows { get; }

    /// <summary>Most columns one <see cref="Dot"/> call handles.</summary>
    static abstract int DotCols { get; }

    /// <summary>
    /// A full MR×NR tile of C from packed panels: <paramref name="a"/> holds MR values per k step,
    /// <paramref name="b"/> NR values per k step. A non-null <paramref name="sum"/> gets the sum of the
    /// stored values added, from the registers (only its finiteness is used: any order will do).
    /// </summary>
    static abstract void Packed(int kc, float* a, float* b, float* c, nint ldc, bool load, float* sum);

    /// <summary>
    /// A <paramref name="rows"/>×<paramref name="cols"/> tile of C (at most DirectRows × NR) read in
    /// place: op(A)[i,p] at <c>a[i*rsA + p*csA]</c>, op(B)[p,j] at <c>b[p*ldb + j]</c>.
    /// </summary>
    static abstract void Direct(int rows, int cols, int k, float* a, nint rsA, nint csA, float* b, nint ldb, float* c, nint ldc, bool load);

    /// <summary>
    /// A <paramref name="rows"/>×<paramref name="cols"/> tile of <c>C = A·Bᵀ</c> (at most DotRows × DotCols)
    /// as dot products of rows of A with rows of B, both contiguous in k.
    /// </summary>
    static abstract void Dot(int rows, int cols, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool load);
}

/// <summary>A compile-time integer: kernels test <c>TR.Value &gt; i</c> and the JIT drops the dead rows.</summary>
internal interface IConst
{
    static abstract int Value { get; }
}

internal struct C0 : IConst { public static int Value => 0; }
internal struct C1 : IConst { public static int Value => 1; }
internal struct C2 : IConst { public static int Value => 2; }
internal struct C3 : IConst { public static int Value => 3; }
internal struct C4 : IConst { public static int Value => 4; }
internal struct C5 : IConst { public static int Value => 5; }
internal struct C6 : IConst { public static int Value => 6; }
internal struct C7 : IConst { public static int Value => 7; }
internal struct C8 : IConst { public static int Value => 8; }
