using System.CommandLine;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla datasets</c>: the built-in and installed datasets, and where each was found.</summary>
internal static class DatasetsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        var command = new Command("datasets", "List the built-in and installed datasets and where each was found.\n\nExample:\n  nabla datasets");
        command.SetAction(_ =>
        {
            context.Out.WriteLine("gaussians  generated");
            return ExitCodes.Ok;
        });
        return command;
    }
}
