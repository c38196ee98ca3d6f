using System.CommandLine;
using Nabla.Data;
using Nabla.Layers;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>The options that describe a network and its loss, shared by <c>train</c> and <c>gradcheck</c>.</summary>
internal sealed class ArchitectureOptions
{
    /// <summary>Hidden layer sizes.</summary>
    public Option<int[]> Layers { get; } = new("--layers", "--hidden_layers", "--hidden-layers")
    {
        Description = "Hidden layer sizes: 256,64 or [256, 64]; [] for none.",
        DefaultValueFactory = _ => [2],
        CustomParser = r => Values.ParseSizes(r) ?? [],
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
        HelpName = "SIZES",
    };

    /// <summary>The whole network as PyTorch module calls, instead of <see cref="Layers"/> and <see cref="Activation"/>.</summary>
    public Option<string?> Network { get; } = new("--network")
    {
        Description = "The network as PyTorch module calls, input sizes left out: \"Linear(64), ReLU, Linear(3)\" (instead of --layers and --activation).",
        HelpName = "MODULES",
    };

    /// <summary>The hidden activation.</summary>
    public Option<string> Activation { get; } = new Option<string>("--activation")
    {
        Description = "Activation of the hidden layers.",
        DefaultValueFactory = _ => "tanh",
    }.AcceptOnlyFromAmong("tanh", "sigmoid", "relu", "leaky-relu");

    /// <summary>The loss.</summary>
    public Option<string> Loss { get; } = new Option<string>("--loss")
    {
        Description = "Loss: cross-entropy (softmax fused), mse, or seed 000's mse+cross-entropy (MSE of the softmax plus cross-entropy). Regression defaults to mse.",
        DefaultValueFactory = _ => "mse+cross-entropy",
    }.AcceptOnlyFromAmong("cross-entropy", "mse", "mse+cross-entropy");

    /// <summary>The weight initializer.</summary>
    public Option<string> Init { get; } = new Option<string>("--init")
    {
        Description = "Weight initializer; biases start at zero except with xavier-uniform-bias, which draws them from the weights' range as scikit-learn does.",
        DefaultValueFactory = _ => "xavier",
    }.AcceptOnlyFromAmong("xavier", "xavier-uniform", "xavier-uniform-bias", "he", "lecun");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Network);
        command.Add(Layers);
        command.Add(Activation);
        command.Add(Loss);
        command.Add(Init);
    }

    /// <summary>
    /// The layers and loss the options describe for <paramref name="data"/>: <c>--network</c> checked against its
    /// samples, or the multilayer perceptron of <c>--layers</c> and <c>--activation</c>.
    /// </summary>
    /// <exception cref="UsageException">
    /// <c>--network</c> is combined with <c>--layers</c> or <c>--activation</c>, does not parse, or does not fit the data (the message
    /// names the module and the shape it received); or a classification loss was asked for on regression data.
    /// </exception>
    public (IReadOnlyList<LayerSpec> Layers, string Loss) For<T>(Dataset<T> data, OptionSource options) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        bool regression = !data.IsClassification;
        string loss = regression && !options.IsSet(Loss) ? "mse" : options.Get(Loss);
        if (regression && loss != "mse")
            throw new UsageException($"--loss {loss} needs class labels; {data.Name} is a regression dataset, so use --loss mse.");
        if (options.Get(Network) is not { } text)
            return (Architecture.Mlp(data.FeatureCount, options.Get(Layers), data.TargetCount, options.Get(Activation), loss, data.ClassNames).Layers, loss);
        var conflicting = new Option[] { Layers, Activation }.Where(options.IsSet).Select(o => o.Name).ToList();
        if (conflicting.Count > 0)
            throw new UsageException($"--network and {string.Join(" and ", conflicting)} both describe the network; give --network alone, or --layers and --activation.");
        try
        {
            // A YAML list ("network: [Linear(64), ReLU]") arrives bracketed.
            var layers = NetworkSpelling.Parse(text.Trim().TrimStart('[').TrimEnd(']'));
            Architecture.For(data, layers, loss);
            return (layers, loss);
        }
        catch (ArgumentException e)
        {
            string classes = data.ClassNames is { } names ? $", {names.Count} classes" : $", {data.TargetCount} targets";
            string samples = data.SampleShape.IsImage ? $"{data.SampleShape} images" : $"{data.FeatureCount} features";
            throw new UsageException($"--network \"{text}\" on {data.Name} ({samples}{classes}): {e.Message}");
        }
    }
}
