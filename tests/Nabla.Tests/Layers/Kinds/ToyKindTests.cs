using System.Numerics;
using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Serialization;
using Nabla.Training;

namespace Nabla.Tests.Layers.Kinds;

/// <summary>
/// A layer kind defined here in the tests alone (nothing under src/ knows it): it registers, and then a network
/// that uses it trains, saves, loads, traces and passes the gradient check like one of Nabla's own.
/// </summary>
public class ToyKindTests
{
    /// <summary><c>y = x ⊙ gain</c> per feature, counting its training calls: one parameter, one counter.</summary>
    private sealed class ToyScaleKind : LayerKind
    {
        public static ToyScaleKind Instance { get; } = new();

        public override string Name => "ToyScale";

        public override IReadOnlyList<LayerOption> Options { get; } = [new("init", OptionType.Real, OptionValue.Of(1.0))];

        public override ILayer<T> Build<T>(LayerSpec spec, SampleShape input, IInitializer initializer, Rng rng) =>
            new ToyScale<T>(input.Size, spec.Real("init"));

        public override IReadOnlyList<TensorSpec> Tensors(LayerSpec spec, SampleShape input) =>
            [new("gain", [input.Size]), new("calls", [], TensorRole.Counter)];

        protected override (LayerSpec Spec, SampleShape Output) ResolveShape(LayerSpec spec, SampleShape input)
        {
            RequireFeatures(spec, input);
            return (spec, input);
        }
    }

    private sealed class ToyScale<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Parameter<T> _gain;
        private readonly Counter _calls = new("calls");
        private readonly Matrix<T> _output = new(0, 0);
        private readonly Matrix<T> _inputGradient = new(0, 0);
        private Matrix<T> _input = new(0, 0);

        public ToyScale(int features, double init)
        {
            var gain = new Matrix<T>(1, features);
            gain.Span.Fill(T.CreateChecked(init));
            _gain = new Parameter<T>("gain", gain, ParameterRole.Scale);
        }

        public LayerKind Kind => ToyScaleKind.Instance;

        public IReadOnlyList<Parameter<T>> Parameters => [_gain];

        public IReadOnlyList<LayerTensor> Buffers => [_calls];

        public long Calls => _calls.Value;

        public Matrix<T> Forward(Matrix<T> input, bool training)
        {
            _input = input;
            if (training)
                _calls.Value++;
            _output.Reshape(input.Rows, input.Cols);
            for (int r = 0; r < input.Rows; r++)
                for (int c = 0; c < input.Cols; c++)
                    _output[r, c] = input[r, c] * _gain.Value[0, c];
            return _output;
        }

        // dL/dx = g ⊙ gain, dL/dgain = Σ_rows g ⊙ x.
        public Matrix<T> Backward(Matrix<T> outputGradient)
        {
            var gainGradient = _gain.Gradient;
            _inputGradient.Reshape(outputGradient.Rows, outputGradient.Cols);
            for (int r = 0; r < outputGradient.Rows; r++)
                for (int c = 0; c < outputGradient.Cols; c++)
                {
                    _inputGradient[r, c] = outputGradient[r, c] * _gain.Value[0, c];
                    gainGradient[0, c] += outputGradient[r, c] * _input[r, c];
                }
            return _inputGradient;
        }
    }

    static ToyKindTests() => LayerKinds.Register(ToyScaleKind.Instance);

    private static Architecture Network(IReadOnlyList<string> classes) => Architecture.FromLayers(
        SampleShape.Features(2), NetworkSpelling.Parse("ToyScale(init=0.5), Linear(8), Tanh, Linear(2)"), "cross-entropy", classes);

    [Fact]
    public void ARegisteredToyKindTrainsSavesLoadsTracesAndPassesGradientChecking()
    {
        var train = Synthetic.Moons<float>(200, noise: 0.1, seed: 1);
        var architecture = Network(train.ClassNames!);
        Assert.Equal("ToyScale(0.5)", architecture.Layers[0].ToString());
        var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(3));
        var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), new Adam<float>(0.05));

        var history = trainer.Fit(train, new TrainingOptions<float> { Epochs = 40, BatchSize = 20, Seed = 2 });

        Assert.True(history.Last.Loss < history.Epochs[0].Loss * 0.75, $"loss {history.Epochs[0].Loss} -> {history.Last.Loss}");
        Assert.True(Evaluation.Run(model, trainer.Loss, train).Accuracy > 0.85);
        var toy = (ToyScale<float>)model.Layers[0];
        Assert.Equal(40 * 10, toy.Calls);
        Assert.NotEqual(0.5f, toy.Parameters[0].Value[0, 0]);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "toy.safetensors");
        ModelFile.Save(path, model, architecture);
        var file = SafeTensorsFile.Read(path);
        Assert.Equal([2L], file["0.gain"].Shape);
        Assert.Equal(SafeTensorDType.I64, file["0.calls"].DType);
        Assert.Equal([400L], file.GetInt64("0.calls"));

        var (loaded, loadedArchitecture) = ModelFile.Load<double>(path);
        Assert.Equal(architecture.ToJson(), loadedArchitecture.ToJson());
        Assert.Equal(400, ((ToyScale<double>)loaded.Layers[0]).Calls);
        var x = Matrix<double>.FromRows([0.3, -1.2], [1.5, 0.25]);
        var y = Matrix<double>.FromRows([1.0, 0.0], [0.0, 1.0]);
        var expected = model.Forward(x.Convert<float>());
        var actual = loaded.Forward(x);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected.Span[i], actual.Span[i], 5);

        var trace = Trace.Run(loaded, loadedArchitecture.CreateLoss<double>(), x, y, learningRate: 0.1);
        Assert.Equal("ToyScale", trace.Layers[0].Kind.Name);
        Assert.Equal("0.gain", trace.Layers[0].Parameters[0].Name);

        TestData.AssertPassed(GradientCheck.Model(loaded, loadedArchitecture.CreateLoss<double>(), x, y));
    }

    [Fact]
    public void AToyKindIsCheckedLikeABuiltInOne()
    {
        Assert.Same(ToyScaleKind.Instance, LayerKinds.Get("toyscale"));
        Assert.Contains("ToyScale has no option 'gain'; expected one of: init",
            Assert.Throws<ArgumentException>(() => NetworkSpelling.Parse("ToyScale(gain=2), Linear(2)")).Message);
        Assert.Contains("takes a row of features; received a 1×4×4 input",
            Assert.Throws<ArgumentException>(() => Architecture.FromLayers(SampleShape.Image(1, 4, 4), NetworkSpelling.Parse("ToyScale, Linear(2)"), "mse", null)).Message);
        Assert.Throws<ArgumentException>(() => LayerKinds.Register(new ToyScaleKind()));
    }
}
