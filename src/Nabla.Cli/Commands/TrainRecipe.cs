using System.CommandLine;
using Nabla.Data;
using Nabla.Runs;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla train --data X</c> with nothing that shapes the model: the <see cref="Recipe"/> for the data's kind and size
/// fills in the options left out (an option given wins over the recipe's value), and one line says what was chosen. An
/// option that chooses the network, its loss or its optimizer (<see cref="Shaping"/>) turns the recipe off, so every run
/// that spells out its model trains exactly as before; so does leaving out <c>--data</c> (seed 000's network).
/// </summary>
internal static class TrainRecipe
{
    /// <summary>
    /// The options that choose the network, its loss or its optimizer: any of them turns the recipe off. The others
    /// (the learning rate, batch size, epochs, scaling, hold-outs, early stopping, dropout, schedule…) change the recipe's value.
    /// </summary>
    public static IEnumerable<Option> Shaping(TrainOptions o) =>
        [o.Network.Network, o.Network.Layers, o.Network.Activation, o.Network.Loss, o.Network.Init, o.Optimizer, o.Momentum, o.Nesterov];

    /// <summary>
    /// <paramref name="s"/> followed by the recipe for <paramref name="train"/> when it applies, and the line that says what
    /// was chosen and why (null when no recipe applies). The recipe decides from the rows the run trains on: those
    /// <paramref name="seed"/> leaves after the test hold-out (the user's <c>--test</c> when given).
    /// </summary>
    public static (OptionSource Source, string? Line) Apply(OptionSource s, Command command, TrainOptions o, Dataset<float> train, bool hasTestSet, ulong seed)
    {
        if (!s.IsSet(o.Data.Data) || Shaping(o).Any(s.IsSet))
            return (s, null);
        var recipe = s.Get(o.Test) is { } test ? Recipe.For(train, hasTestSet, seed, test) : Recipe.For(train, hasTestSet, seed);
        // What the recipe sets and the user did not: the part of it that applies, in the recipe's order (option, value
        // pairs). Its --min-delta belongs to its early stopping, so it goes when the user turns that off.
        bool stopsEarly = s.Get(o.EarlyStopping) is > 0 || !s.IsSet(o.EarlyStopping);
        string[] applied = [.. recipe.ToArguments().Chunk(2)
            .Where(pair => command.Options.First(option => option.Name == pair[0]) is var option && !s.IsSet(option) && (stopsEarly || option != o.Tuning.MinDelta))
            .SelectMany(pair => pair)];
        var parsed = command.Parse(applied);
        if (parsed.Errors.Count > 0)
            throw new InvalidOperationException($"The {recipe.Kind} recipe's options do not parse: {string.Join(" ", parsed.Errors.Select(e => e.Message))}");
        string what = train.IsClassification ? $"{train.ClassNames!.Count} classes" : "a numeric target";
        string why = recipe.Reason is { } reason ? $" ({reason})" : "";
        string line = $"No options shape the model, so nabla uses its {recipe.Kind} recipe for {train.Count:N0} samples of {train.FeatureCount:N0} features and {what}{why}: " +
            $"{string.Join(' ', applied)}. Give any of these options to change its value; --layers, --network, --activation, --loss, --init or --optimizer instead train the plain defaults (see docs/recipes.md).";
        return (s.Then(parsed), line);
    }
}
