using System.CommandLine;
using Nabla.Data;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>The options that describe a network, shared by <c>train</c> and <c>gradcheck</c>.</summary>
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
        Description = "Weight initializer (biases start at zero).",
        DefaultValueFactory = _ => "xavier",
    }.AcceptOnlyFromAmong("xavier", "xavier-uniform", "he", "lecun");

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Layers);
        command.Add(Activation);
        command.Add(Loss);
        command.Add(Init);
    }

    /// <summary>The multilayer perceptron the options describe, sized for <paramref name="data"/>.</summary>
    /// <exception cref="UsageException">A classification loss was asked for on regression data.</exception>
    public Architecture For<T>(Dataset<T> data, OptionSource options) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        bool regression = !data.IsClassification;
        string loss = regression && !options.IsSet(Loss) ? "mse" : options.Get(Loss);
        if (regression && loss != "mse")
            throw new UsageException($"--loss {loss} needs class labels; {data.Name} is a regression dataset, so use --loss mse.");
        return Architecture.Mlp(data.FeatureCount, options.Get(Layers), data.TargetCount, options.Get(Activation), loss, data.ClassNames)
            with { FeatureNames = data.FeatureNames };
    }
}
