using System.Security.Cryptography;

namespace Nabla.Data;

/// <summary>
/// Fetches a dataset's files over HTTP and checks each against its SHA-256. A file is written to
/// <c>NAME.part</c> and renamed to <c>NAME</c> only once its hash matches, so no partial or corrupt file
/// ever sits under the final name; a file already present with the right hash is not fetched again.
/// </summary>
public sealed class DatasetDownloader
{
    private readonly HttpClient _http;

    /// <summary>A downloader using <paramref name="http"/> (the caller owns it and sets any timeout).</summary>
    public DatasetDownloader(HttpClient http)
    {
        _http = http;
    }

    /// <summary>
    /// Downloads every file of <paramref name="source"/> into <paramref name="directory"/> (created if
    /// needed) and returns the directory. Failures (HTTP errors, network errors, a wrong hash) throw
    /// <see cref="NablaInputException"/> naming the URL.
    /// </summary>
    public async Task<string> DownloadAsync(DownloadSource source, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in source.Files)
        {
            string final = Path.Combine(directory, file.FileName);
            if (File.Exists(final) && await HashFileAsync(final, cancellationToken) == file.Sha256)
            {
                long length = new FileInfo(final).Length;
                progress?.Report(new DownloadProgress(file.FileName, length, length));
                continue;
            }
            await DownloadFileAsync(new Uri(source.BaseUri, file.FileName), file, final, progress, cancellationToken);
        }
        return directory;
    }

    private async Task DownloadFileAsync(Uri url, DownloadFile file, string final, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string part = final + ".part";
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new NablaInputException(
                    $"{url}: expected the file {file.FileName}; the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", url.ToString());
            long? total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long done = 0;
            await using (var input = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (var output = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    hash.AppendData(buffer, 0, read);
                    done += read;
                    progress?.Report(new DownloadProgress(file.FileName, done, total));
                }
            }
            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != file.Sha256)
                throw new NablaInputException(
                    $"{url}: expected SHA-256 {file.Sha256}; received {actual} ({done} bytes). The file was discarded; try again or check the mirror.", url.ToString());
            File.Move(part, final, overwrite: true);
        }
        catch (Exception e) when (e is HttpRequestException or HttpIOException)
        {
            throw new NablaInputException($"{url}: expected to download {file.FileName}; the request failed: {e.Message}", url.ToString(), e);
        }
        finally
        {
            if (File.Exists(part))
                File.Delete(part);
        }
    }

    private static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
