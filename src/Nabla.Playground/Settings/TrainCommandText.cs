using System.Globalization;
using System.Text;

namespace Nabla.Playground.Settings;

/// <summary>
/// The <c>nabla train</c> command and YAML config that reproduce a playground run up to a given epoch: every
/// option is written out, defaults included, so a later change of a default cannot change the run. With
/// the same options the CLI builds, initialises and trains the same network on the same data, so its
/// model file equals the playground's export byte for byte (the end-to-end test checks it), dropout included
/// (<c>--dropout</c> puts a Dropout after every hidden activation, as the playground does).
/// </summary>
internal static class TrainCommandText
{
    /// <summary>The directory the command writes to.</summary>
    public const string OutDirectory = "runs/playground";

    /// <summary>The options, in order, as (name, value) pairs; <paramref name="epochs"/> is the number of epochs to train.</summary>
    public static IReadOnlyList<(string Name, string Value)> Options(PlaygroundSettings s, string dataName, int epochs)
    {
        var options = new List<(string, string)> { ("data", dataName) };
        if (s.IsUpload)
            options.Add(("test", Number(s.TestFraction)));
        else
        {
            options.Add(("samples", s.Samples.ToString(CultureInfo.InvariantCulture)));
            if (s.Dataset != "gaussians")
                options.Add(("noise", Number(s.Noise)));
        }
        options.Add(("seed", s.Seed.ToString(CultureInfo.InvariantCulture)));
        options.Add(("layers", s.Layers.Count == 0 ? "[]" : string.Join(',', s.Layers.Select(u => u.ToString(CultureInfo.InvariantCulture)))));
        options.Add(("activation", s.Activation));
        options.Add(("loss", s.Loss));
        options.Add(("init", s.Init));
        options.Add(("optimizer", s.Optimizer));
        options.Add(("learning-rate", Number(s.LearningRate)));
        if (s.Optimizer == "sgd")
            options.Add(("momentum", Number(s.Momentum)));
        options.Add(("weight-decay", Number(s.WeightDecay)));
        if (s.Dropout > 0)
            options.Add(("dropout", Number(s.Dropout)));
        // The full batch is nabla train's default, and left to it: its `--batch-size full` fails today (an internal
        // InvalidCastException in System.CommandLine's conversion of the parser's null), so spelling it out would break the command.
        if (s.BatchSize is { } b)
            options.Add(("batch-size", b.ToString(CultureInfo.InvariantCulture)));
        options.Add(("epochs", epochs.ToString(CultureInfo.InvariantCulture)));
        options.Add(("scale", s.Scale));
        return options;
    }

    /// <summary>The one-line command, writing to <see cref="OutDirectory"/>.</summary>
    public static string Command(PlaygroundSettings s, string dataName, int epochs)
    {
        var text = new StringBuilder("nabla train");
        foreach (var (name, value) in Options(s, dataName, epochs))
            text.Append(" --").Append(name).Append(' ').Append(value == "[]" ? "'[]'" : value);
        return text.Append(" --out ").Append(OutDirectory).ToString();
    }

    /// <summary>The same options as a YAML file for <c>nabla train --config FILE</c>.</summary>
    public static string Yaml(PlaygroundSettings s, string dataName, int epochs)
    {
        var text = new StringBuilder($"# nabla train --config playground.yaml --out {OutDirectory}\n");
        foreach (var (name, value) in Options(s, dataName, epochs))
            text.Append(name).Append(": ").Append(name == "layers" ? $"[{value.Trim('[', ']')}]" : value).Append('\n');
        return text.ToString();
    }

    /// <summary>What the page says under the command: what it reproduces and what it needs.</summary>
    public static IReadOnlyList<string> Notes(PlaygroundSettings s, string dataName, int epochs)
    {
        var notes = new List<string>
        {
            $"Reproduces the run to the end of epoch {epochs}: the model file it writes equals the model download, byte for byte.",
        };
        if (s.IsUpload)
            notes.Add($"Save the uploaded CSV file as {dataName} in the directory you run it from.");
        return notes;
    }

    private static string Number(double value) => SettingsText.Format(value);
}
