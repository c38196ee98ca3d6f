namespace Nabla.Cli;

/// <summary>The process exit codes of <c>nabla</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A check failed (<c>gradcheck</c>) or an unexpected internal error.</summary>
    public const int Failed = 1;

    /// <summary>A usage error: an unknown option or a bad value.</summary>
    public const int Usage = 2;

    /// <summary>An input error: a missing or malformed data, model or config file.</summary>
    public const int Input = 3;

    /// <summary>Training diverged: the loss became NaN or infinite.</summary>
    public const int Diverged = 4;

    /// <summary>Interrupted by Ctrl-C (SIGINT), as shells report it: 128 + signal 2. A checkpoint was saved unless it was the second interrupt.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (a job scheduler, <c>kill</c>, <c>docker stop</c>), as shells report it: 128 + signal 15. As for <see cref="Interrupted"/>, a checkpoint was saved unless a second signal came.</summary>
    public const int Terminated = 143;
}
