using System.Diagnostics;

namespace Nabla.Playground;

/// <summary>Opens a page in the user's browser: <c>xdg-open</c> on Linux, <c>open</c> on macOS, the shell on Windows.</summary>
public static class BrowserLauncher
{
    /// <summary>Asks the desktop to open <paramref name="address"/>; false when there is no way to (no <c>xdg-open</c>, say).</summary>
    public static bool TryOpen(Uri address)
    {
        try
        {
            ProcessStartInfo start;
            if (OperatingSystem.IsWindows())
                start = new ProcessStartInfo(address.AbsoluteUri) { UseShellExecute = true };
            else
            {
                string tool = OperatingSystem.IsMacOS() ? "open" : "xdg-open";
                if (FindOnPath(tool) is not { } path)
                    return false;
                start = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add(address.AbsoluteUri);
            }
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
