using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Activations;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Layers;

[Collection(ThreadCountCollection.Name)]
public class PredictorTests
{
    private static Sequential<float> Network(string activation, params int[] sizes) =>
        Architecture.Mlp(sizes[0], sizes[1..^1], sizes[^1], activation, "cross-entropy",
                [.. Enumerable.Range(0, sizes[^1]).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))])
            .Build<float>(GaussianInitializer.LecunNormal, new Rng(3));

    [Theory]
    [InlineData("sigmoid", new[] { 784, 256, 64, 10 })]
    [InlineData("relu", new[] { 37, 200, 3 })]   // widths that are not multiples of the vector
    [InlineData("tanh", new[] { 2, 2, 2 })]
    [InlineData("sigmoid", new[] { 5, 129, 17, 1 })]
    public void OneSampleAtATimeGivesTheBatchedForwardPass(string activation, int[] sizes)
    {
        var model = Network(activation, sizes);
        var x = TestData.Gaussian(9, sizes[0], seed: 4).Convert<float>();
        var batched = model.Forward(x).Clone();
        var predictor = new Predictor<float>(model);
        Assert.Equal(sizes[0], predictor.Inputs);
        Assert.Equal(sizes[^1], predictor.Outputs);
        for (int r = 0; r < x.Rows; r++)
        {
            var single = predictor.Predict(x.Row(r)).ToArray();
            for (int j = 0; j < single.Length; j++)
                Assert.Equal(batched[r, j], single[j], 1e-5f);
            Assert.Equal(Nabla.Training.Metrics.ArgMaxRows(batched)[r], predictor.PredictClass(x.Row(r)));
        }
    }

    /// <summary>
    /// A dense, activation, dense run starts the second product on this thread's columns of the first while
    /// the other thread computes the rest (784-256-64), or, when the second product splits itself
    /// (784-512-256), runs it after the first; either way the bits equal one thread's.
    /// </summary>
    [Theory]
    [InlineData("sigmoid", new[] { 784, 256, 64, 10 })]
    [InlineData("relu", new[] { 784, 512, 256, 10 })]
    [InlineData("tanh", new[] { 300, 250, 40, 3 })]   // halves of 128 and 122 columns: a ragged second half
    public void OneAndTwoThreadsPredictTheSameBits(string activation, int[] sizes)
    {
        var model = Network(activation, sizes);
        var x = TestData.Gaussian(4, sizes[0], seed: 8).Convert<float>();
        float[][] Run(int threads)
        {
            int before = Parallelism.MaxThreads;
            Parallelism.MaxThreads = threads;
            try
            {
                var predictor = new Predictor<float>(model);
                return [.. Enumerable.Range(0, x.Rows).Select(r => predictor.Predict(x.Row(r)).ToArray())];
            }
            finally
            {
                Parallelism.MaxThreads = before;
            }
        }
        var one = Run(1);
        var two = Run(2);
        var batched = model.Forward(x).Clone();
        for (int r = 0; r < x.Rows; r++)
        {
            Assert.Equal(one[r].Select(BitConverter.SingleToInt32Bits), two[r].Select(BitConverter.SingleToInt32Bits));
            for (int j = 0; j < one[r].Length; j++)
                Assert.Equal(batched[r, j], two[r][j], 1e-5f);
        }
    }

    [Fact]
    public void DoublesGoThroughTheGenericPath()
    {
        var model = new Sequential<double>(
            new Linear<double>(6, 4, GaussianInitializer.XavierNormal, new Rng(1)), new Tanh<double>(),
            new Dropout<double>(0.5, new Rng(2)), new Linear<double>(4, 3, GaussianInitializer.XavierNormal, new Rng(3)), new Softmax<double>());
        var x = TestData.Gaussian(3, 6, seed: 7);
        var batched = model.Forward(x).Clone();
        var predictor = new Predictor<double>(model);
        for (int r = 0; r < 3; r++)
            Assert.Equal(batched.Row(r).ToArray(), predictor.Predict(x.Row(r)).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void ThePredictorIsASnapshotOfTheWeights()
    {
        var model = Network("relu", 3, 4, 2);
        var x = new float[] { 1, 2, 3 };
        var predictor = new Predictor<float>(model);
        float[] before = predictor.Predict(x).ToArray();
        model.Parameters[0].Value.Span.Fill(0);
        Assert.Equal(before, predictor.Predict(x).ToArray());
    }

    [Fact]
    public void AWrongInputLengthSaysWhatWasExpected()
    {
        var predictor = new Predictor<float>(Network("relu", 3, 4, 2));
        var ex = Assert.Throws<ArgumentException>(() => predictor.Predict(new float[4]));
        Assert.Contains("Expected 3 input values; received 4", ex.Message);
    }

    [Fact]
    public void PredictingAllocatesNothing()
    {
        var predictor = new Predictor<float>(Network("sigmoid", 784, 256, 64, 10));
        var x = new float[784];
        predictor.PredictClass(x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
            predictor.PredictClass(x);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
