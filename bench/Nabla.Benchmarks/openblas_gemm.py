"""GFLOP/s of NumPy's float32 matmul (OpenBLAS) at the shapes of GemmShapes.cs.

Run with OPENBLAS_CORETYPE set (0.3.21 does not recognise this CPU otherwise) and
OPENBLAS_NUM_THREADS=1 or 2; prints a markdown table of the best and median of
interleaved rounds, like `dotnet run -c Release -- gflops`.
"""
import sys
import time

import numpy as np

SHAPES = [  # name, M, K, N, transpose A, transpose B: keep in step with GemmShapes.cs
    ("64x784x256 A·B", 64, 784, 256, False, False),
    ("64x784x256 A·Bᵀ fwd", 64, 784, 256, False, True),
    ("64x256x64 A·Bᵀ fwd", 64, 256, 64, False, True),
    ("64x64x10 A·Bᵀ fwd", 64, 64, 10, False, True),
    ("64x256x64 A·B", 64, 256, 64, False, False),
    ("64x64x10 A·B", 64, 64, 10, False, False),
    ("256x64x784 Aᵀ·B dW", 256, 64, 784, True, False),
    ("784x64x256 Aᵀ·B", 784, 64, 256, True, False),
    ("64x64x256 Aᵀ·B dW", 64, 64, 256, True, False),
    ("10x64x64 Aᵀ·B dW", 10, 64, 64, True, False),
    ("64x64x256 A·B dX", 64, 64, 256, False, False),
    ("64x256x784 A·Bᵀ", 64, 256, 784, False, True),
    ("64x10x64 A·B dX", 64, 10, 64, False, False),
    ("64x784x256 Aᵀ·Bᵀ", 64, 784, 256, True, True),
    ("128x784x1000 A·B", 128, 784, 1000, False, False),
    ("128x784x1000 A·Bᵀ fwd", 128, 784, 1000, False, True),
    ("1000x128x784 Aᵀ·B dW", 1000, 128, 784, True, False),
    ("784x128x1000 Aᵀ·B", 784, 128, 1000, True, False),
    ("128x1000x784 A·Bᵀ", 128, 1000, 784, False, True),
    ("128x10x1000 A·B dX", 128, 10, 1000, False, False),
    ("10x128x1000 Aᵀ·B dW", 10, 128, 1000, True, False),
    ("32x6272x784 A·Bᵀ fwd", 32, 6272, 784, False, True),
    ("784x32x6272 Aᵀ·B dW", 784, 32, 6272, True, False),
    ("32x784x6272 A·B dX", 32, 784, 6272, False, False),
    ("50x3136x1024 A·Bᵀ fwd", 50, 3136, 1024, False, True),
    ("1024x50x3136 Aᵀ·B dW", 1024, 50, 3136, True, False),
    ("50x1024x3136 A·B dX", 50, 1024, 3136, False, False),
    ("64x800x196 A·B conv", 64, 800, 196, False, False),
    ("800x196x64 A·Bᵀ conv dW", 800, 196, 64, False, True),
    ("800x64x196 Aᵀ·B conv dX", 800, 64, 196, True, False),
    ("1x784x256 A·B", 1, 784, 256, False, False),
    ("1x784x256 A·Bᵀ fwd", 1, 784, 256, False, True),
    ("1024³ A·B", 1024, 1024, 1024, False, False),
    ("1024³ A·Bᵀ", 1024, 1024, 1024, False, True),
    ("1024³ Aᵀ·B", 1024, 1024, 1024, True, False),
    ("1024³ Aᵀ·Bᵀ", 1024, 1024, 1024, True, True),
    ("2048³ A·B", 2048, 2048, 2048, False, False),
]
ROUNDS = 7


def operands(m, k, n, ta, tb, rng):
    # Stored as Nabla stores them; .T is a view, so BLAS gets the transpose flag, not a copy.
    a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
    return (a.T if ta else a), (b.T if tb else b), np.empty((m, n), np.float32)


def main():
    # openblas_gemm.py [seconds [cpu [filter]]]: with "cpu", time the calling thread's CPU time
    # (OPENBLAS_NUM_THREADS=1 only: OpenBLAS then computes on the calling thread), for the shapes
    # whose name contains filter, as `Nabla.Benchmarks cpu` does.
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.2
    cpu = len(sys.argv) > 2 and sys.argv[2] == "cpu"
    clock = time.thread_time if cpu else time.perf_counter
    shapes = [s for s in SHAPES if len(sys.argv) <= 3 or sys.argv[3] in s[0]]
    rng = np.random.default_rng(42)
    data = [operands(m, k, n, ta, tb, rng) for _, m, k, n, ta, tb in shapes]
    results = [[] for _ in shapes]
    for _ in range(ROUNDS):
        for i, (name, m, k, n, _, _) in enumerate(shapes):
            a, b, c = data[i]
            np.matmul(a, b, out=c)
            calls, start = 0, clock()
            while True:
                np.matmul(a, b, out=c)
                calls += 1
                elapsed = clock() - start
                if elapsed >= seconds:
                    break
            results[i].append(2.0 * m * k * n * calls / elapsed / 1e9)
    print("| shape M×K×N | best | median |")
    print("|---|---|---|")
    for (name, *_), r in zip(shapes, results):
        r.sort()
        print(f"| {name} | {r[-1]:.0f} | {r[len(r) // 2]:.0f} |")


if __name__ == "__main__":
    main()
