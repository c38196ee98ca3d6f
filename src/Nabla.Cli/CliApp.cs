using System.CommandLine;
using System.CommandLine.Invocation;
using Nabla.Cli.Commands;
using Nabla.Cli.Examples;

namespace Nabla.Cli;

/// <summary>Builds the <c>nabla</c> command tree and runs it, mapping failures to exit codes and messages on stderr.</summary>
public static class CliApp
{
    /// <summary>Runs <paramref name="args"/> writing to <paramref name="output"/> and <paramref name="error"/>; returns the exit code.</summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors go (stderr).</param>
    /// <param name="interactive">Whether live progress bars and colours may be used.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false)
    {
        var context = new CliContext(output, error, interactive);
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces of errors.", Recursive = true };
        var root = BuildRoot(context, verbose);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction or null)
        {
            foreach (var e in parse.Errors)
                error.WriteLine($"error: {e.Message}");
            error.WriteLine($"Run '{CommandPath(parse)} --help' for the options and an example.");
            return ExitCodes.Usage;
        }
        bool showStack = parse.GetValue(verbose);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            return Fail(error, e, ExitCodes.Usage, showStack, $"Run '{CommandPath(parse)} --help' for the options and an example.");
        }
        catch (InsufficientMemoryException e)
        {
            // Refused by an estimate before allocating: the options ask for more than fits (a real OutOfMemoryException is not this).
            return Fail(error, e, ExitCodes.Usage, showStack, $"Run '{CommandPath(parse)} --help' for the options and an example.");
        }
        catch (NablaInputException e)
        {
            return Fail(error, e, ExitCodes.Input, showStack);
        }
        catch (Training.TrainingDivergedException e)
        {
            return Fail(error, e, ExitCodes.Diverged, showStack);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(error, e, ExitCodes.Input, showStack);
        }
        catch (Exception e)
        {
            error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            if (showStack)
                error.WriteLine(e);
            else
                error.WriteLine("Run again with --verbose for the stack trace, and please report it.");
            return ExitCodes.Failed;
        }
    }

    private static RootCommand BuildRoot(CliContext context, Option<bool> verbose)
    {
        var root = new RootCommand(
            "Nabla: train, evaluate and inspect neural networks from first principles.\n\n" +
            "Example:\n  nabla train                      # seed 000's 2-2-2 network on two Gaussians\n" +
            "  nabla train --data iris --out runs/iris && nabla evaluate --model runs/iris/model.safetensors --data iris")
        {
            verbose,
        };
        // The default prints the entry assembly's version, which is the test host's when run in process.
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintVersion();
        root.Add(TrainCommand.Create(context));
        root.Add(EvaluateCommand.Create(context));
        root.Add(PredictCommand.Create(context));
        root.Add(TraceCommand.Create(context));
        root.Add(GradcheckCommand.Create(context));
        root.Add(DatasetsCommand.Create(context));
        root.Add(ExampleCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        root.Add(ExportCommand.Create(context));
        root.Add(ImportCommand.Create(context));
        root.Add(PlaygroundCommand.Create(context));
        return root;
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "nabla" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static int Fail(TextWriter error, Exception e, int code, bool verbose, string? hint = null)
    {
        error.WriteLine($"error: {e.Message}");
        if (hint is not null)
            error.WriteLine(hint);
        if (verbose)
            error.WriteLine(e);
        return code;
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(Models.Architecture.Version);
            return ExitCodes.Ok;
        }
    }
}
