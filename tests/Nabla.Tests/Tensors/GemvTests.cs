using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

[Collection(ThreadCountCollection.Name)]
public class GemvTests
{
    [Theory]
    [InlineData(1, 16)]
    [InlineData(7, 48)]
    [InlineData(784, 256)]
    [InlineData(33, 208)]   // 128 + 64 + 16 columns: every block size
    [InlineData(0, 32)]
    public void OneRowTimesAMatrixEqualsTheGemmRowBitForBit(int k, int n)
    {
        var rng = new Random(k * 1000 + n);
        var x = Enumerable.Range(0, k).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var y = new float[n];
        Gemv.Multiply(x, b, n, y);
        // Eight copies of the row make Gemm use its tile kernels (one FMA chain per element, ascending k).
        var a = Enumerable.Range(0, 8).SelectMany(_ => x).ToArray();
        var c = new float[8 * n];
        Gemm.Multiply<float>(8, n, k, a, k, false, b, n, false, c, n, false);
        Assert.Equal(c.AsSpan(0, n).ToArray(), y);
    }

    [Theory]
    [InlineData(784, 256, 300)]
    [InlineData(256, 64, 128)]
    [InlineData(37, 208, 1)]
    [InlineData(20, 48, 0)]   // nothing first: the continuation starts from the +0 the first call stores
    public void AProductContinuedOverTheRestOfTheRowsEqualsTheWholeProductBitForBit(int k, int n, int split)
    {
        var rng = new Random(k * 3 + n + split);
        var x = Enumerable.Range(0, k).Select(_ => rng.NextDouble() < 0.3 ? 0f : rng.NextSingle() * 2 - 1).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var whole = new float[n];
        Gemv.Multiply(x, b, n, whole);
        var continued = new float[n];
        Gemv.Multiply(x.AsSpan(0, split), b.AsSpan(0, split * n), n, continued);
        Gemv.MultiplyAdd(x.AsSpan(split), b.AsSpan(split * n), n, continued);
        Assert.Equal(whole.Select(BitConverter.SingleToInt32Bits), continued.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheWorkAfterTheFirstColumnsSeesThemDoneOnTheCallingThread(int threads)
    {
        const int k = 784, n = 256;
        var rng = new Random(5);
        var x = Enumerable.Range(0, k).Select(_ => rng.NextSingle()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var expected = new float[n];
        Gemv.Multiply(x, b, n, expected);
        int before = Parallelism.MaxThreads;
        Parallelism.MaxThreads = threads;
        try
        {
            int first = Gemv.FirstColumns(k, n);
            Assert.Equal(threads == 1 ? n : 128, first);
            var y = new float[n];
            var copy = new CopyFirst(y, first, Environment.CurrentManagedThreadId);
            Gemv.Multiply(x, b, n, y, ref copy);
            Assert.Equal(expected[..first], copy.Seen[..first]);
            Assert.Equal(expected, y);
        }
        finally
        {
            Parallelism.MaxThreads = before;
        }
    }

    /// <summary>Copies the first columns when called, on the thread that made the product (asserted).</summary>
    private readonly struct CopyFirst(float[] y, int first, int thread) : IAfterFirstPart
    {
        public float[] Seen { get; } = new float[y.Length];

        public void Run()
        {
            Assert.Equal(thread, Environment.CurrentManagedThreadId);
            y.AsSpan(0, first).CopyTo(Seen);
        }
    }

    [Theory]
    [InlineData(784, 256, 0.5)]
    [InlineData(100, 48, 0.9)]
    [InlineData(37, 464, 0.3)]
    [InlineData(64, 16, 1.0)]   // all zero: y must be +0 everywhere, as the batched product gives
    public void ZeroInputsAreSkippedWithoutChangingABit(int k, int n, double zeroFraction)
    {
        var rng = new Random(k + n);
        // Zeros of both signs, in runs of sixteen and scattered, so the vector scan meets every kind of block.
        var x = Enumerable.Range(0, k).Select(_ => rng.NextDouble() < zeroFraction ? (rng.Next(2) == 0 ? 0f : -0f) : rng.NextSingle() * 2 - 1).ToArray();
        x.AsSpan(0, Math.Min(16, k)).Clear();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        var y = Enumerable.Repeat(float.NaN, n).ToArray();
        Gemv.Multiply(x, b, n, y);
        var a = Enumerable.Range(0, 8).SelectMany(_ => x).ToArray();
        var c = new float[8 * n];
        Gemm.Multiply<float>(8, n, k, a, k, false, b, n, false, c, n, false);
        // Compare bit patterns, so +0 and −0 differ.
        Assert.Equal(c.AsSpan(0, n).ToArray().Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData(784, 256)]   // 200 K values of B: two column halves, each part finding the non-zero inputs itself
    [InlineData(784, 1008)]
    public void OneAndTwoThreadsGiveTheSameBits(int k, int n)
    {
        var rng = new Random(k + 7 * n);
        var x = Enumerable.Range(0, k).Select(_ => rng.NextDouble() < 0.5 ? 0f : rng.NextSingle()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        float[] Run(int threads)
        {
            int before = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var y = new float[n];
                for (int call = 0; call < 3; call++) // later calls find the worker awake
                    Gemv.Multiply(x, b, n, y);
                return y;
            }
            finally
            {
                Parallelism.MaxThreads = before;
            }
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        var a = Enumerable.Range(0, 8).SelectMany(_ => x).ToArray();
        var c = new float[8 * n];
        Gemm.Multiply<float>(8, n, k, a, k, false, b, n, false, c, n, false);
        Assert.Equal(c.AsSpan(0, n).ToArray(), one);
    }

    [Fact]
    public void AWidthThatIsNotPaddedThrows()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemv.Multiply(new float[2], new float[20], 10, new float[10]));
        Assert.Contains("multiple of 16", ex.Message);
    }
}
