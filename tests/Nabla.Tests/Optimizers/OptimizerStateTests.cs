using Nabla.Layers;
using Nabla.Optimizers;
using Nabla.Tensors;

namespace Nabla.Tests.Optimizers;

public class OptimizerStateTests
{
    private static (string, Parameter<double>)[] Parameters(double w0) =>
        [("0.weight", new Parameter<double>("weight", new Matrix<double>(1, 2, [w0, -w0]), ParameterRole.Weight)),
         ("0.bias", new Parameter<double>("bias", new Matrix<double>(1, 1, [0.5]), ParameterRole.Bias))];

    private static void StepWithGradient(Optimizer<double> optimizer, (string Name, Parameter<double> P)[] parameters, int step)
    {
        foreach (var (_, p) in parameters)
            for (int i = 0; i < p.Gradient.Length; i++)
                p.Gradient.Span[i] = Math.Sin(step + i) + p.Value.Span[i];
        optimizer.Step([.. parameters.Select(p => p.P)]);
    }

    public static TheoryData<string> Kinds => new() { "sgd", "nesterov", "adam", "adamw", "adagrad", "rmsprop", "rmsprop-centered-momentum" };

    private static Optimizer<double> Create(string kind) => kind switch
    {
        "sgd" => new Sgd<double>(0.1, momentum: 0.9, weightDecay: 0.01),
        "nesterov" => new Sgd<double>(0.1, momentum: 0.5, nesterov: true),
        "adam" => new Adam<double>(0.05, weightDecay: 0.01),
        "adamw" => new AdamW<double>(0.05, weightDecay: 0.1),
        "adagrad" => new Adagrad<double>(0.1, learningRateDecay: 0.1, weightDecay: 0.01, initialAccumulatorValue: 0.1),
        "rmsprop" => new RmsProp<double>(0.01),
        _ => new RmsProp<double>(0.01, momentum: 0.9, centered: true, weightDecay: 0.01),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryExportedBufferIsOfAKindSavedStateReadersAccept(string kind)
    {
        var optimizer = Create(kind);
        var parameters = Parameters(1.0);
        StepWithGradient(optimizer, parameters, 0);

        var kinds = optimizer.ExportState(parameters).Buffers.Keys.Select(k => k[..k.IndexOf('.', StringComparison.Ordinal)]).ToHashSet();

        Assert.NotEmpty(kinds);
        Assert.Subset(OptimizerBufferKinds.All.ToHashSet(), kinds);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnImportedStateContinuesBitIdenticallyOnFreshParameters(string kind)
    {
        var straight = Create(kind);
        var a = Parameters(1.0);
        for (int s = 0; s < 6; s++)
            StepWithGradient(straight, a, s);

        var first = Create(kind);
        var b = Parameters(1.0);
        for (int s = 0; s < 3; s++)
            StepWithGradient(first, b, s);
        var state = first.ExportState(b);
        // A new model (new Parameter objects) with the same values, and a new optimizer: as after loading a checkpoint.
        var c = Parameters(0);
        for (int i = 0; i < c.Length; i++)
            b[i].Item2.Value.Span.CopyTo(c[i].Item2.Value.Span);
        var second = Create(kind);
        second.ImportState(state, c);
        for (int s = 3; s < 6; s++)
            StepWithGradient(second, c, s);

        Assert.Equal(6, second.Steps);
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i].Item2.Value.Span.ToArray(), c[i].Item2.Value.Span.ToArray());
    }

    [Fact]
    public void ExportedBuffersAreCopiesNamedByKindAndParameter()
    {
        var adam = new Adam<double>(0.1);
        var p = Parameters(1.0);
        StepWithGradient(adam, p, 0);
        var state = adam.ExportState(p);

        Assert.Equal(1, state.Steps);
        Assert.Equal(["m.0.bias", "m.0.weight", "v.0.bias", "v.0.weight"], state.Buffers.Keys.Order());
        state.Buffers["m.0.weight"][0] = 1e9;
        Assert.NotEqual(1e9, adam.Moments[p[0].Item2].M[0]);
    }

    [Fact]
    public void ImportRejectsUnknownBuffersAndWrongLengths()
    {
        var p = Parameters(1.0);
        var sgd = new Sgd<double>(0.1, momentum: 0.9);

        var unknown = Assert.Throws<ArgumentException>(() => sgd.ImportState(new OptimizerState<double>(1, new Dictionary<string, double[]> { ["m.0.weight"] = [0, 0] }), p));
        Assert.Contains("'m.0.weight'", unknown.Message);
        Assert.Contains("velocity", unknown.Message);
        var length = Assert.Throws<ArgumentException>(() => sgd.ImportState(new OptimizerState<double>(1, new Dictionary<string, double[]> { ["velocity.0.weight"] = [0] }), p));
        Assert.Contains("has 1 values; its parameter has 2", length.Message);
        Assert.Throws<ArgumentException>(() => sgd.ImportState(new OptimizerState<double>(-1, new Dictionary<string, double[]>()), p));
        // RMSprop keeps a gradient average only when centered.
        var plain = Assert.Throws<ArgumentException>(() => new RmsProp<double>().ImportState(new OptimizerState<double>(1, new Dictionary<string, double[]> { ["grad_avg.0.weight"] = [0, 0] }), p));
        Assert.Contains("{square_avg}", plain.Message);
    }

    [Fact]
    public void RmsPropExportsPyTorchsBufferNamesForTheVariantInUse()
    {
        var p = Parameters(1.0);
        var rmsProp = new RmsProp<double>(0.01, momentum: 0.9, centered: true);
        StepWithGradient(rmsProp, p, 0);
        Assert.Equal(["grad_avg.0.bias", "grad_avg.0.weight", "momentum_buffer.0.bias", "momentum_buffer.0.weight", "square_avg.0.bias", "square_avg.0.weight"],
            rmsProp.ExportState(p).Buffers.Keys.Order());
        var adagrad = new Adagrad<double>();
        StepWithGradient(adagrad, p, 0);
        Assert.Equal(["sum.0.bias", "sum.0.weight"], adagrad.ExportState(p).Buffers.Keys.Order());
    }
}
