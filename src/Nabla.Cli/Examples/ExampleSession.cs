using System.Globalization;
using System.Text;
using Nabla.IO;
using Nabla.Plots;
using Nabla.Reports;
using Nabla.Runs;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Nabla.Cli.Examples;

/// <summary>
/// What every example shares: the Markdown of <c>results.md</c> (headings, lines, tables, also echoed to stdout),
/// training runs (each a <see cref="TrainingRun"/> that writes nothing), figures in <c>figures/</c> and full run
/// reports in <c>runs/NAME/</c>.
/// </summary>
/// <param name="context">Where progress and tables are echoed.</param>
/// <param name="directory">The example's output directory.</param>
/// <param name="quick">A shortened run on little data for a few epochs, whose numbers mean nothing.</param>
internal sealed class ExampleSession(CliContext context, string directory, bool quick)
{
    private readonly StringBuilder _markdown = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>True for a shortened run.</summary>
    public bool Quick => quick;

    private string Figures => Path.Combine(directory, "figures");

    private string ResultsPath => Path.Combine(directory, "results.md");

    /// <summary>Trains and evaluates one run (no files), printing a progress line named <paramref name="name"/> (or its network).</summary>
    public TrainingRunResult Fit(string name, TrainingRunOptions options)
    {
        // Long runs show their epochs as they go (about twenty lines a run).
        var run = new TrainingRun(options with { MeasureHealth = false, Callbacks = [.. options.Callbacks, new EpochLines(context.Out)] });
        double rate = run.Optimizer.LearningRate; // before a schedule changes it
        run.Fit();
        var result = run.Finish();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(name.Length > 0 ? name : RunDescription.Network(result.Architecture))} [{result.Train.Name}, lr {rate}]: {result.History.Epochs.Count} epochs in {result.Seconds:0.0} s, " +
            $"train accuracy {Numbers.Acc(result.OnTrain)}{(result.OnTest is { } t ? $", test accuracy {Numbers.Acc(t)}" : "")}"));
        return result;
    }

    /// <summary>Writes the run's full report to <c>runs/<paramref name="name"/>/</c>.</summary>
    public void Report(string name, TrainingRunResult run, string title, IReadOnlyList<KeyValuePair<string, string>> extra)
    {
        string rate = run.History.Epochs.Count > 0 ? run.History.Epochs[0].LearningRate.ToString("G6", CultureInfo.InvariantCulture) : "";
        run.Report([new("learning rate", rate), new("epochs run", Numbers.N(run.History.Epochs.Count)), new("training time", Numbers.F1(run.Seconds) + " s")],
                title, $"nabla example {Path.GetFileName(Path.GetFullPath(directory))}{(quick ? " --quick" : "")}", extra)
            .Write(Path.Combine(directory, "runs", name));
    }

    /// <summary>Saves <paramref name="figure"/> as <c>figures/<paramref name="name"/>.svg</c>.</summary>
    public void Save(string name, ISvgFigure figure)
    {
        string path = Path.Combine(Figures, name + ".svg");
        figure.Save(path);
        context.Out.WriteLine($"  wrote {path}");
    }

    /// <summary>Saves <paramref name="text"/> (a table of numbers too long for results.md) as <paramref name="fileName"/> beside results.md.</summary>
    public void SaveText(string fileName, string text)
    {
        string path = Path.Combine(directory, fileName);
        AtomicFile.WriteText(path, text);
        context.Out.WriteLine($"  wrote {path}");
    }

    /// <summary>A level-1 heading.</summary>
    public void Heading(string text)
    {
        _markdown.Append("# ").Append(text).Append("\n\n");
        context.Out.WriteLine(text);
    }

    /// <summary>A paragraph.</summary>
    public void Line(string text)
    {
        _markdown.Append(text).Append("\n\n");
        context.Out.WriteLine(text);
    }

    /// <summary>A fenced block of preformatted text (written to results.md only).</summary>
    public void Code(string text) => _markdown.Append("```\n").Append(text.TrimEnd()).Append("\n```\n\n");

    /// <summary>A table with a bold caption.</summary>
    public void Table(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new StringBuilder().Append("**").Append(caption).Append("**\n\n| ").AppendJoin(" | ", header).Append(" |\n|")
            .AppendJoin("|", header.Select(_ => "---")).Append("|\n");
        foreach (var row in rows)
            table.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        _markdown.Append(table).Append('\n');
        context.Out.Write(table.Append('\n'));
        // A long example keeps what it has measured so far, should it be stopped before the end.
        AtomicFile.WriteText(ResultsPath, _markdown.ToString());
    }

    /// <summary>Adds the total time and writes <c>results.md</c>.</summary>
    public void Finish(string example)
    {
        Line(string.Create(CultureInfo.InvariantCulture, $"Total time: {_clock.Elapsed.TotalSeconds:0} s ({Environment.ProcessorCount} cores){(quick ? "; --quick run, the numbers mean nothing" : "")}."));
        string path = ResultsPath;
        AtomicFile.WriteText(path, _markdown.ToString());
        context.Out.WriteLine($"Example {example}: wrote {path}, {Figures}/ and {Path.Combine(directory, "runs")}/.");
    }

    /// <summary>A chart thinned for committing: a few hundred points per series still draw the same curve at this size.</summary>
    public static LineChart Compact(LineChart chart)
    {
        chart.MaxPointsPerSeries = 300;
        return chart;
    }

    /// <summary>A figure whose line charts are thinned for committing.</summary>
    public static Figure Compact(Figure figure)
    {
        foreach (var panel in figure.Panels.OfType<LineChart>())
            panel.MaxPointsPerSeries = 200;
        return figure;
    }
}
