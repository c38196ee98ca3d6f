namespace Nabla.Data;

/// <summary>Progress of one file of a download: bytes received so far and the total, when the server said.</summary>
public readonly record struct DownloadProgress(string FileName, long BytesDone, long? BytesTotal);
