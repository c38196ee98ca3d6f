namespace Nabla.Tensors;

/// <summary>
/// Work a caller of <see cref="Workers.Run{TAfter}"/> does on its own thread as soon as part 0 is done,
/// while other threads may still be running the other parts.
/// </summary>
internal interface IAfterFirstPart
{
    /// <summary>Runs on the calling thread after part 0 and before the call waits for the other parts.</summary>
    void Run();
}

/// <summary>The <see cref="IAfterFirstPart"/> with nothing to do.</summary>
internal readonly struct NothingAfterFirstPart : IAfterFirstPart
{
    /// <inheritdoc />
    public void Run()
    {
    }
}
