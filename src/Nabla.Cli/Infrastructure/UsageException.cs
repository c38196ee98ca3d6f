namespace Nabla.Cli;

/// <summary>The command line asked for something invalid; the message says which option, what was received and what is allowed. Exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
