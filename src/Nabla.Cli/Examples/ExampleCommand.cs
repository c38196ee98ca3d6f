using System.CommandLine;

namespace Nabla.Cli.Examples;

/// <summary>
/// <c>nabla example NAME</c>: reproduces one seed assignment end to end (every run it needs), and
/// writes small SVG figures to <c>DIR/figures</c>, the measured numbers as Markdown tables to
/// <c>DIR/results.md</c>, and a full report of each main run to <c>DIR/runs/RUN/report.html</c>.
/// <c>--quick</c> runs the same steps on little data for a few epochs, so tests keep them working.
/// </summary>
internal static class ExampleCommand
{
    /// <summary>The examples, one per seed assignment (gaussians covers seeds 000 and 001), each a file of this folder.</summary>
    private static readonly Dictionary<string, Action<ExampleSession>> Examples = new()
    {
        ["gaussians"] = GaussiansExample.Run,
        ["letters-relu"] = LettersReluExample.Run,
        ["worked-example"] = HandCalculationExample.Run,
        ["moons"] = MoonsExample.Run,
        ["cnn-letters"] = CnnLettersExample.Run,
        ["cnn-mnist"] = CnnMnistExample.Run,
    };

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "Which example: " + string.Join(", ", Examples.Keys) + "." }.AcceptOnlyFromAmong([.. Examples.Keys]);
        var output = new Option<string?>("--out") { Description = "Directory for figures/, results.md and runs/ (default: runs/example-NAME).", HelpName = "DIR" };
        var quick = new Option<bool>("--quick") { Description = "A shortened run (little data, few epochs) that checks every step works; its numbers mean nothing." };
        var command = new Command("example",
            "Reproduce a seed assignment: every run, its figures and a table of the measured numbers.\n\n" +
            "Examples:\n  nabla example gaussians --out examples/gaussians\n  nabla example moons --quick");
        command.Add(name);
        command.Add(output);
        command.Add(quick);
        command.SetAction(parse =>
        {
            string example = parse.GetValue(name)!;
            var session = new ExampleSession(context, parse.GetValue(output) ?? Path.Combine("runs", "example-" + example), parse.GetValue(quick));
            Examples[example](session);
            session.Finish(example);
            return ExitCodes.Ok;
        });
        return command;
    }
}
